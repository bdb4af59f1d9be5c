import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { IdOrSlug } from '../../common/http/id-or-slug.pipe';

export interface LeaseRow {
  articleId: string;
  holderId: string;
  holderName: string;
  until: Date;
}

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
