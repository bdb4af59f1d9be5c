import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ViewCounts {
  articleId: string;
  hour: Date;
  views: number;
}

export interface ClientView {
  clientHash: Buffer;
  articleId: string;
  viewedAt: Date;
}

/** All SQL of views. */
@Injectable()
export class ViewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes a buffer of views in one statement: the hourly buckets, the articles' totals
   * (view_count) and each client's latest view. Articles deleted meanwhile are skipped.
   */
  async write(counts: ViewCounts[], clients: ClientView[]): Promise<void> {
    await this.dataSource.query(
      `WITH v AS (
         SELECT v.article_id, v.hour, v.views
           FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS v(article_id, hour, views)
           JOIN articles a ON a.id = v.article_id
       ), hourly AS (
         INSERT INTO article_views_hourly (article_id, hour, views)
         SELECT article_id, hour, views FROM v
         ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views_hourly.views + excluded.views
       ), totals AS (
         UPDATE articles a SET view_count = a.view_count + t.views
           FROM (SELECT article_id, sum(views) AS views FROM v GROUP BY article_id) t
          WHERE a.id = t.article_id
       )
       INSERT INTO client_views (client_hash, article_id, viewed_at)
       SELECT c.client_hash, c.article_id, c.viewed_at
         FROM unnest($4::bytea[], $5::uuid[], $6::timestamptz[]) AS c(client_hash, article_id, viewed_at)
         JOIN articles a ON a.id = c.article_id
       ON CONFLICT (client_hash, article_id)
       DO UPDATE SET viewed_at = GREATEST(client_views.viewed_at, excluded.viewed_at)`,
      [
        counts.map((c) => c.articleId),
        counts.map((c) => c.hour),
        counts.map((c) => c.views),
        clients.map((c) => c.clientHash),
        clients.map((c) => c.articleId),
        clients.map((c) => c.viewedAt),
      ],
    );
  }
}
