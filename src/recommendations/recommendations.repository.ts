import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { publicPredicate } from '../articles/article.repository';

/** The client's latest views that seed co-views, peers per seed, and each peer's latest views. */
export const FAN_OUT = { seeds: 10, peersPerSeed: 20, viewsPerPeer: 20 } as const;
/** The most co-viewed articles checked for being public and unread. */
const CO_POOL = 300;
/** What a client has read, as far as exclusion looks back. */
const READ_LIMIT = 1000;

/** All SQL of recommendations: what a client read, and what others who read it also read. */
@Injectable()
export class RecommendationsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async readIds(clientHash: Buffer): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT article_id AS id FROM client_views WHERE client_hash = $1 ORDER BY viewed_at DESC LIMIT ${READ_LIMIT}`,
      [clientHash],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Readers-also-read in one query: the client's latest views, other clients who viewed those,
   * and what those clients viewed last, counted; public articles only, never one the client
   * read nor the ones excluded. Fan-out is bounded (FAN_OUT) so a hot article costs no more.
   */
  async coViewed(clientHash: Buffer, exclude: string[], limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH mine AS (
         SELECT article_id FROM client_views WHERE client_hash = $1
          ORDER BY viewed_at DESC LIMIT ${FAN_OUT.seeds}
       ),
       peers AS (
         SELECT DISTINCT p.client_hash FROM mine CROSS JOIN LATERAL (
           SELECT c.client_hash FROM client_views c
            WHERE c.article_id = mine.article_id AND c.client_hash <> $1 LIMIT ${FAN_OUT.peersPerSeed}) p
       ),
       co AS (
         SELECT v.article_id, count(*) AS n FROM peers CROSS JOIN LATERAL (
           SELECT c.article_id FROM client_views c WHERE c.client_hash = peers.client_hash
            ORDER BY c.viewed_at DESC LIMIT ${FAN_OUT.viewsPerPeer}) v
          GROUP BY v.article_id ORDER BY count(*) DESC LIMIT ${CO_POOL}
       )
       SELECT a.id FROM co JOIN articles a ON a.id = co.article_id
        WHERE ${publicPredicate('$4')} AND a.id <> ALL($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM client_views m WHERE m.client_hash = $1 AND m.article_id = a.id)
        ORDER BY co.n DESC, a.published_at DESC, a.id DESC LIMIT $3`,
      [clientHash, exclude, limit, this.clock.date()],
    );
    return rows.map((r) => r.id);
  }
}
