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
}
