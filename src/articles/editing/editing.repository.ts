import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IdOrSlug } from '../../common/http/id-or-slug.pipe';

export interface LeaseRow {
  articleId: string;
  holderId: string;
  holderName: string;
  until: Date;
}

/** An article's pending changes: PATCH fields merged, with the working copy's own version. */
export interface WorkingCopyRow {
  articleId: string;
  fields: Record<string, unknown>;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

const COPY_COLUMNS = `article_id AS "articleId", fields, version, updated_by AS "updatedBy", updated_at AS "updatedAt"`;

const LEASE_COLUMNS = `article_id AS "articleId", holder_id AS "holderId", holder_name AS "holderName", until`;

/** Edit leases and preview links: every statement on their tables. */
@Injectable()
export class EditingRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /**
   * The article (outside the trash) by id or slug, its row locked for the rest of the
   * transaction, so a lease and a write to the article take turns.
   */
  async lockArticle(m: EntityManager, key: IdOrSlug): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM articles WHERE ${'id' in key ? 'id = $1' : 'slug = $1'} AND deleted_at IS NULL FOR UPDATE`,
      ['id' in key ? key.id : key.slug],
    );
    return rows[0]?.id ?? null;
  }

  async liveLease(m: EntityManager, articleId: string, now: Date): Promise<LeaseRow | null> {
    const rows: LeaseRow[] = await m.query(
      `SELECT ${LEASE_COLUMNS} FROM article_leases WHERE article_id = $1 AND until > $2`,
      [articleId, now],
    );
    return rows[0] ?? null;
  }

  /** Live leases of these articles (editors' `lock`; a batch's, in its transaction). */
  async liveLeases(articleIds: string[], now: Date, m?: EntityManager): Promise<LeaseRow[]> {
    if (!articleIds.length) return [];
    return (m ?? this.dataSource).query(
      `SELECT ${LEASE_COLUMNS} FROM article_leases WHERE article_id = ANY($1::uuid[]) AND until > $2`,
      [articleIds, now],
    );
  }

  async putLease(m: EntityManager, lease: LeaseRow): Promise<void> {
    await m.query(
      `INSERT INTO article_leases (article_id, holder_id, holder_name, until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (article_id) DO UPDATE
         SET holder_id = excluded.holder_id, holder_name = excluded.holder_name, until = excluded.until`,
      [lease.articleId, lease.holderId, lease.holderName, lease.until],
    );
  }

  async deleteLease(m: EntityManager, articleId: string): Promise<void> {
    await m.query(`DELETE FROM article_leases WHERE article_id = $1`, [articleId]);
  }

  /** The working copy of an article (in the caller's transaction, or the primary's latest). */
  async workingCopy(articleId: string, m?: EntityManager): Promise<WorkingCopyRow | null> {
    const rows: WorkingCopyRow[] = await (m ?? this.dataSource).query(
      `SELECT ${COPY_COLUMNS} FROM article_working_copies WHERE article_id = $1`,
      [articleId],
    );
    return rows[0] ?? null;
  }

  /** Stores the fields as the working copy: version 1 when new, one more otherwise. */
  async putWorkingCopy(
    m: EntityManager,
    articleId: string,
    fields: Record<string, unknown>,
    by: string,
  ): Promise<WorkingCopyRow> {
    const rows: WorkingCopyRow[] = await m.query(
      `INSERT INTO article_working_copies (article_id, fields, updated_by) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (article_id) DO UPDATE SET fields = excluded.fields, updated_by = excluded.updated_by,
         version = article_working_copies.version + 1, updated_at = now()
       RETURNING ${COPY_COLUMNS}`,
      [articleId, JSON.stringify(fields), by],
    );
    return rows[0];
  }

  async deleteWorkingCopy(m: EntityManager, articleId: string): Promise<void> {
    await m.query(`DELETE FROM article_working_copies WHERE article_id = $1`, [articleId]);
  }

  async insertPreviewLink(
    m: EntityManager,
    link: { articleId: string; tokenHash: Buffer; expiresAt: Date; createdBy: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO preview_links (article_id, token_hash, expires_at, created_by) VALUES ($1, $2, $3, $4)`,
      [link.articleId, link.tokenHash, link.expiresAt, link.createdBy],
    );
  }

  /** Revokes every live link of an article; how many there were. */
  async revokePreviewLinks(m: EntityManager, articleId: string, now: Date): Promise<number> {
    const rows: unknown[] = await m.query(
      `UPDATE preview_links SET revoked_at = $2 WHERE article_id = $1 AND revoked_at IS NULL RETURNING id`,
      [articleId, now],
    );
    return rows.length;
  }

  /** The article a live (not expired, not revoked) link shows. Always the primary: never a stale copy. */
  async previewedArticle(tokenHash: Buffer, now: Date): Promise<string | null> {
    const rows: { articleId: string }[] = await this.dataSource.query(
      `SELECT l.article_id AS "articleId"
         FROM preview_links l JOIN articles a ON a.id = l.article_id AND a.deleted_at IS NULL
        WHERE l.token_hash = $1 AND l.revoked_at IS NULL AND l.expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0]?.articleId ?? null;
  }
}
