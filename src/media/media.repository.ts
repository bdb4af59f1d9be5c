import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { KeysetPosition } from '../common/pagination/cursor';

export interface MediaRow {
  id: string;
  kind: string;
  mimeType: string;
  width: number;
  height: number;
  bytes: number;
  contentHash: string;
  alt: string;
  caption: string | null;
  credit: string | null;
  copyright: string | null;
  focalX: number;
  focalY: number;
  takenAt: Date | null;
  placeholder: string;
  createdAt: Date;
  /** The list's sort key as PostgreSQL prints it (microseconds), for cursors. */
  createdKey: string;
}

export type NewMediaRow = Omit<MediaRow, 'kind' | 'createdAt' | 'createdKey'> & {
  /** A fetched picture's URL (see findBySourceUrl). */
  sourceUrl?: string | null;
};
export type MediaPatch = Partial<
  Pick<MediaRow, 'alt' | 'caption' | 'credit' | 'copyright' | 'focalX' | 'focalY'>
>;

const COLUMNS = `id, kind, mime_type AS "mimeType", width, height, bytes::float8 AS bytes,
  content_hash AS "contentHash", alt, caption, credit, copyright, focal_x AS "focalX",
  focal_y AS "focalY", taken_at AS "takenAt", placeholder, created_at AS "createdAt",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdKey"`;

const PATCH_COLUMNS: Record<keyof MediaPatch, string> = {
  alt: 'alt',
  caption: 'caption',
  credit: 'credit',
  copyright: 'copyright',
  focalX: 'focal_x',
  focalY: 'focal_y',
};

/** `%`, `_` and `\` in a search are the words themselves, not ILIKE patterns. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@Injectable()
export class MediaRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs fn in one transaction: a change and its audit row commit together. */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async insert(row: NewMediaRow, manager: EntityManager): Promise<MediaRow> {
    const [inserted] = await manager.query<MediaRow[]>(
      `INSERT INTO media (id, mime_type, width, height, bytes, content_hash, alt, caption, credit,
         copyright, focal_x, focal_y, taken_at, placeholder, source_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${COLUMNS}`,
      [
        row.id,
        row.mimeType,
        row.width,
        row.height,
        row.bytes,
        row.contentHash,
        row.alt,
        row.caption,
        row.credit,
        row.copyright,
        row.focalX,
        row.focalY,
        row.takenAt,
        row.placeholder,
        row.sourceUrl ?? null,
      ],
    );
    return inserted;
  }

  async findById(id: string): Promise<MediaRow | null> {
    const rows = await this.dataSource.query<MediaRow[]>(`SELECT ${COLUMNS} FROM media WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The articles that show this media (as hero image or in their body). */
  async articlesUsing(id: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM articles
        WHERE hero_image->>'media' = $1 OR body @> jsonb_build_array(jsonb_build_object('media', $1::text))`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /** The newest picture fetched from this URL, if any. */
  async findBySourceUrl(url: string): Promise<MediaRow | null> {
    const rows = await this.dataSource.query<MediaRow[]>(
      `SELECT ${COLUMNS} FROM media WHERE source_url = $1 ORDER BY created_at DESC LIMIT 1`,
      [url],
    );
    return rows[0] ?? null;
  }

  async findByIds(ids: readonly string[]): Promise<MediaRow[]> {
    return await this.dataSource.query<MediaRow[]>(
      `SELECT ${COLUMNS} FROM media WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Newest first; `q` matches the caption, credit or alt text, case-insensitively. */
  async list(options: { q?: string; after?: KeysetPosition; limit: number }): Promise<MediaRow[]> {
    const params: unknown[] = [options.limit];
    const where: string[] = [];
    if (options.q) {
      params.push(likePattern(options.q));
      const p = `$${params.length}`;
      where.push(`(caption ILIKE ${p} OR credit ILIKE ${p} OR alt ILIKE ${p})`);
    }
    if (options.after) {
      params.push(options.after.key, options.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    return await this.dataSource.query<MediaRow[]>(
      `SELECT ${COLUMNS} FROM media ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $1`,
      params,
    );
  }

  /** The updated row, or null when there is none. */
  async update(id: string, patch: MediaPatch, manager: EntityManager): Promise<MediaRow | null> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof MediaPatch, unknown][];
    const sets = entries.map(([k], i) => `${PATCH_COLUMNS[k]} = $${i + 2}`);
    const rows = await manager.query<[MediaRow[], number]>(
      `UPDATE media SET ${[...sets, 'updated_at = clock_timestamp()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...entries.map(([, v]) => v)],
    );
    return rows[0][0] ?? null;
  }

  /**
   * Deletes the row unless an article (trash included) uses it as hero image or in an image block,
   * in one transaction that locks the row first: 'deleted', 'in-use' (with up to five article
   * slugs) or 'missing'.
   */
  async deleteUnlessUsed(
    id: string,
    force: boolean,
    /** Called in the transaction once the row is deleted (its audit row). */
    deleted: (manager: EntityManager) => Promise<void>,
  ): Promise<{ outcome: 'deleted' | 'missing' } | { outcome: 'in-use'; slugs: string[] }> {
    return this.dataSource.transaction(async (manager) => {
      const found = await manager.query<unknown[]>(`SELECT id FROM media WHERE id = $1 FOR UPDATE`, [id]);
      if (found.length === 0) return { outcome: 'missing' as const };
      if (!force) {
        const users = await manager.query<{ slug: string }[]>(
          `SELECT slug FROM articles
           WHERE hero_image->>'media' = $1 OR body @> jsonb_build_array(jsonb_build_object('media', $1::text))
           ORDER BY slug LIMIT 5`,
          [id],
        );
        if (users.length > 0) return { outcome: 'in-use' as const, slugs: users.map((u) => u.slug) };
      }
      await manager.query(`DELETE FROM media WHERE id = $1`, [id]);
      await deleted(manager);
      return { outcome: 'deleted' as const };
    });
  }
}
