import { Injectable } from '@nestjs/common';
import { publicPredicate } from '../articles/article.repository';
import { Clock } from '../common/clock/clock';
import { ReadRouting } from '../database/read-routing';

/** Which public stories a feed shows. */
export interface FeedSelection {
  /** A section and its descendants. */
  sectionIds?: string[];
  tag?: string;
  /** An author by the slug of their byline: `min-ji-park` matches the byline "Min-ji Park". */
  bylineSlug?: string;
}

/** A public story as a sitemap lists it. */
export interface SitemapRow {
  id: string;
  slug: string;
  title: string;
  sectionId: string | null;
  publishedAt: Date;
  updatedAt: Date;
}

const SITEMAP_COLUMNS = `a.id, a.slug, a.title, a.section_id AS "sectionId", a.published_at AS "publishedAt",
  a.updated_at AS "updatedAt"`;

/** The SQL of feeds and sitemaps: which public stories they show, newest first. */
@Injectable()
export class DeliveryRepository {
  constructor(
    private readonly routing: ReadRouting,
    private readonly clock: Clock,
  ) {}

  /** The ids of the newest `limit` public stories of a selection, newest first. */
  async latestIds(s: FeedSelection, limit: number): Promise<string[]> {
    const params: unknown[] = [this.clock.date()];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = [publicPredicate('$1')];
    if (s.sectionIds) {
      const ids = p(s.sectionIds);
      where.push(`(a.section_id = ANY(${ids}::uuid[]) OR EXISTS (SELECT 1 FROM article_sections x
        WHERE x.article_id = a.id AND x.section_id = ANY(${ids}::uuid[])))`);
    }
    if (s.tag)
      where.push(`EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = a.id AND t.slug = ${p(s.tag)})`);
    if (s.bylineSlug) {
      // A slug is [a-z0-9] words joined by hyphens: nothing in it is special to a regular expression.
      const words = s.bylineSlug.split('-').join('[^[:alnum:]]+');
      where.push(`a.byline ~* ${p(`(^|[^[:alnum:]])${words}($|[^[:alnum:]])`)}`);
    }
    const rows: { id: string }[] = await this.routing.forRead(true).query(
      `SELECT a.id FROM articles a WHERE ${where.join(' AND ')}
        ORDER BY a.published_at DESC, a.id DESC LIMIT ${p(limit)}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  async tagName(slug: string): Promise<string | null> {
    const rows: { name: string }[] = await this.routing
      .forRead(true)
      .query(`SELECT name FROM tags WHERE slug = $1`, [slug]);
    return rows[0]?.name ?? null;
  }

  /** Every month (UTC) with public stories, newest first: how many, and the latest change among them. */
  async months(): Promise<{ month: string; count: number; lastmod: Date }[]> {
    return this.routing.forRead(true).query(
      `SELECT to_char(a.published_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS count,
              max(a.updated_at) AS lastmod
         FROM articles a WHERE ${publicPredicate('$1')} GROUP BY 1 ORDER BY 1 DESC`,
      [this.clock.date()],
    );
  }

  /** The public stories published in [from, to), oldest first: `limit` of them after `offset`. */
  async publishedBetween(from: Date, to: Date, limit: number, offset: number): Promise<SitemapRow[]> {
    return this.routing.forRead(true).query(
      `SELECT ${SITEMAP_COLUMNS} FROM articles a
        WHERE ${publicPredicate('$5')} AND a.published_at >= $1 AND a.published_at < $2
        ORDER BY a.published_at, a.id LIMIT $3 OFFSET $4`,
      [from, to, limit, offset, this.clock.date()],
    );
  }

  /** The newest public stories published after `since` and by `until` (the Clock's now), at most `limit`. */
  async publishedSince(since: Date, until: Date, limit: number): Promise<SitemapRow[]> {
    return this.routing.forRead(true).query(
      `SELECT ${SITEMAP_COLUMNS} FROM articles a
        WHERE ${publicPredicate('$2')} AND a.published_at > $1
        ORDER BY a.published_at DESC, a.id DESC LIMIT $3`,
      [since, until, limit],
    );
  }
}
