import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { publicPredicate } from '../articles/article.repository';

export interface ScoredId {
  id: string;
  score: number;
}

export interface RankingQuery {
  hours: number;
  trendingHalfLife: number | null;
  sectionIds: string[] | null;
  weightView: number;
  weightReaction: number;
  limit: number;
}

export interface CuratedRow {
  id: string;
  slug: string;
  title: string;
  updatedAt: Date;
  articleIds: string[];
}

/** The first hour bucket a window of $1 hours counts, the Clock's time being $5. */
const SINCE = `date_trunc('hour', $5::timestamptz) - make_interval(hours => $1::int)`;

/** All SQL of rankings: the computed lists over the hourly tables and the curated lists. */
@Injectable()
export class RankingsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * One aggregate over the hourly tables (each read through its (hour, article_id) INCLUDE index).
   * Site-wide, the best TOP_POOL scores are joined to the public articles (a few index probes
   * instead of one per article with events); with a section, the section's articles are hashed
   * first and the events joined to them. Best first; ties by recency then id.
   */
  async top(q: RankingQuery): Promise<ScoredId[]> {
    const pool = q.limit * 3 + 50;
    const rows = await this.topQuery(q, q.sectionIds ? null : pool);
    // Site-wide, a pool full of non-public articles could leave the list short: ask again in full.
    if (!q.sectionIds && rows.length < q.limit && rows.length < pool) {
      const [{ n }]: { n: number }[] = await this.dataSource.query(
        `SELECT count(DISTINCT article_id)::int AS n FROM article_views_hourly
          WHERE hour >= date_trunc('hour', $2::timestamptz) - make_interval(hours => $1::int)`,
        [q.hours, this.clock.date()],
      );
      if (n > pool) return this.topQuery(q, null);
    }
    return rows;
  }

  private async topQuery(q: RankingQuery, pool: number | null): Promise<ScoredId[]> {
    const params: unknown[] = [q.hours, q.weightView, q.weightReaction, q.limit, this.clock.date()];
    const decay =
      q.trendingHalfLife === null
        ? '1'
        : `power(0.5::float8, extract(epoch FROM (date_trunc('hour', $5::timestamptz) - e.hour))::float8 / ${3600 * Number(q.trendingHalfLife)})`;
    let candidates = '';
    let join = '';
    if (q.sectionIds) {
      params.push(q.sectionIds);
      // Through the section indexes; whether each article is public is checked in the final join.
      candidates = `, candidates AS MATERIALIZED (
         SELECT a.id FROM articles a WHERE a.section_id = ANY($6::uuid[])
         UNION SELECT s.article_id FROM article_sections s WHERE s.section_id = ANY($6::uuid[]))`;
      join = 'JOIN candidates k ON k.id = e.article_id';
    }
    const rows: { id: string; score: string }[] = await this.dataSource.query(
      `WITH ${candidates ? candidates.slice(2) + ',' : ''}
       events AS (
         SELECT e.article_id, sum(e.views::float8 * ${decay}) * $2::float8 AS score
           FROM article_views_hourly e ${join} WHERE e.hour >= ${SINCE} GROUP BY e.article_id
         UNION ALL
         SELECT e.article_id, sum(e.reactions::float8 * ${decay}) * $3::float8
           FROM article_reactions_hourly e ${join} WHERE e.hour >= ${SINCE} GROUP BY e.article_id
       ),
       scored AS (
         SELECT article_id, sum(score) AS score FROM events GROUP BY article_id HAVING sum(score) > 0
          ORDER BY score DESC ${pool === null ? '' : `LIMIT ${pool}`}
       )
       SELECT a.id, s.score FROM scored s JOIN articles a ON a.id = s.article_id
        WHERE ${publicPredicate('$5')}
        ORDER BY s.score DESC, a.published_at DESC, a.id DESC LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  // ---- curated lists ----

  async findCurated(slug: string): Promise<CuratedRow | null> {
    const rows: CuratedRow[] = await this.dataSource.query(
      `SELECT r.id, r.slug, r.title, r.updated_at AS "updatedAt",
              coalesce(array_agg(i.article_id ORDER BY i.position) FILTER (WHERE i.article_id IS NOT NULL),
                       '{}')::text[] AS "articleIds"
         FROM curated_rankings r LEFT JOIN curated_ranking_items i ON i.ranking_id = r.id
        WHERE r.slug = $1 GROUP BY r.id`,
      [slug],
    );
    return rows[0] ?? null;
  }

  /** Ids of articles outside the trash named by id or slug: key → id. */
  async resolveArticles(ids: string[], slugs: string[]): Promise<{ id: string; slug: string }[]> {
    if (!ids.length && !slugs.length) return [];
    return this.dataSource.query(
      `SELECT a.id, a.slug FROM articles a
        WHERE a.deleted_at IS NULL AND (a.id = ANY($1::uuid[]) OR a.slug = ANY($2::text[]))`,
      [ids, slugs],
    );
  }

  /** Creates or replaces a list with its members, in one transaction. */
  /** Creates or replaces a list; `then` runs in the same transaction with what happened (the audit row). */
  async putCurated(
    slug: string,
    title: string,
    articleIds: string[],
    then: (m: EntityManager, outcome: 'created' | 'updated' | 'unchanged') => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (m: EntityManager) => {
      await then(m, await writeCuratedRanking(m, slug, title, articleIds));
    });
  }
}

/**
 * Creates or replaces a curated list with its members in the caller's transaction (the API's PUT
 * and an import's ranking lines): whether it was new, changed or already so.
 */
export async function writeCuratedRanking(
  m: EntityManager,
  slug: string,
  title: string,
  articleIds: string[],
): Promise<'created' | 'updated' | 'unchanged'> {
  const before: { title: string; ids: string[] }[] = await m.query(
    `SELECT r.title, coalesce(array_agg(i.article_id::text ORDER BY i.position)
                              FILTER (WHERE i.article_id IS NOT NULL), '{}') AS ids
       FROM curated_rankings r LEFT JOIN curated_ranking_items i ON i.ranking_id = r.id
      WHERE r.slug = $1 GROUP BY r.id`,
    [slug],
  );
  const old = before[0];
  if (old && old.title === title && old.ids.join() === articleIds.join()) return 'unchanged';
  const [row]: { id: string }[] = await m.query(
    `INSERT INTO curated_rankings (slug, title) VALUES ($1, $2)
     ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, updated_at = now()
     RETURNING id`,
    [slug, title],
  );
  await m.query(`DELETE FROM curated_ranking_items WHERE ranking_id = $1`, [row.id]);
  if (articleIds.length)
    await m.query(
      `INSERT INTO curated_ranking_items (ranking_id, position, article_id)
       SELECT $1, p.ord::int, p.id FROM unnest($2::uuid[]) WITH ORDINALITY AS p(id, ord)`,
      [row.id, articleIds],
    );
  return old ? 'updated' : 'created';
}
