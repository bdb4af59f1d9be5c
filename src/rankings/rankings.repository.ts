import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
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

/** All SQL of rankings: the computed lists over the hourly tables and the curated lists. */
@Injectable()
export class RankingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * One aggregate over the hourly tables (each read through its (hour, article_id) INCLUDE index),
   * joined to the public articles, best first; ties by recency then id.
   */
  async top(q: RankingQuery): Promise<ScoredId[]> {
    const params: unknown[] = [q.hours, q.weightView, q.weightReaction, q.limit];
    const decay =
      q.trendingHalfLife === null
        ? '1'
        : `power(0.5, extract(epoch FROM (date_trunc('hour', now()) - hour)) / 3600.0 / ${Number(q.trendingHalfLife)})`;
    let section = '';
    if (q.sectionIds) {
      params.push(q.sectionIds);
      section = `AND (a.section_id = ANY($5::uuid[]) OR EXISTS (SELECT 1 FROM article_sections s
        WHERE s.article_id = a.id AND s.section_id = ANY($5::uuid[])))`;
    }
    const rows: { id: string; score: string }[] = await this.dataSource.query(
      `WITH since AS (SELECT date_trunc('hour', now()) - make_interval(hours => $1::int) AS t),
       events AS (
         SELECT article_id, sum(views * ${decay}) * $2::float8 AS score
           FROM article_views_hourly, since WHERE hour >= since.t GROUP BY article_id
         UNION ALL
         SELECT article_id, sum(reactions * ${decay}) * $3::float8
           FROM article_reactions_hourly, since WHERE hour >= since.t GROUP BY article_id
       ),
       scored AS (SELECT article_id, sum(score) AS score FROM events GROUP BY article_id)
       SELECT a.id, s.score FROM scored s JOIN articles a ON a.id = s.article_id
        WHERE s.score > 0 AND ${publicPredicate()} ${section}
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
  async putCurated(slug: string, title: string, articleIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (m: EntityManager) => {
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
    });
  }
}
