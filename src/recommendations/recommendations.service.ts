import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ArticleReader } from '../articles/article-reader.service';
import { DomainError } from '../common/errors/domain-error';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { RankingsService } from '../rankings/rankings.service';
import { RelatedService, type SourceArticle } from '../related/related.service';
import { toSuggestions, type ArticleOf, type ArticleShape } from '../related/suggestions';
import { SectionsService } from '../sections/sections.service';
import { RecommendationsRepository } from './recommendations.repository';

export interface RecommendationRequest {
  /** The article being read: excluded, and the source of `related` and of the default section. */
  current: SourceArticle | null;
  clientId?: string;
  /** Section slug for popular-in-section; by default the current article's section. */
  section?: string;
  limit: number;
}

/** The window popular and popular-in-section read. */
const POPULAR_WINDOW = '7d';

export const clientHash = (clientId: string): Buffer => createHash('sha256').update(clientId).digest();

/**
 * Recommendations: readers-also-read for a client with views, then related to the current article,
 * then popular in the section, then popular site-wide; never an article the client read nor the
 * current one; at most half of the list from one section while others are available.
 */
@Injectable()
export class RecommendationsService {
  constructor(
    private readonly repo: RecommendationsRepository,
    private readonly reader: ArticleReader,
    private readonly related: RelatedService,
    private readonly rankings: RankingsService,
    private readonly sections: SectionsService,
  ) {}

  async forArticleKey(key: IdOrSlug | null, req: Omit<RecommendationRequest, 'current'>) {
    let current: SourceArticle | null = null;
    if (key) {
      current = await this.reader.findRecord(key, { editor: false });
      if (!current) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    }
    return this.recommend({ ...req, current }, 'summary');
  }

  async recommend<S extends ArticleShape>(
    req: RecommendationRequest,
    shape: S,
  ): Promise<{ reason: string; article: ArticleOf<S> }[]> {
    const { current, limit } = req;
    const want = Math.min(limit * 3, 300);
    const hash = req.clientId ? clientHash(req.clientId) : null;
    const read = hash ? await this.repo.readIds(hash) : [];
    const exclude = new Set([...read, ...(current ? [current.id] : [])]);
    const pool: { id: string; reason: string }[] = [];
    const add = (ids: string[], reason: string) => {
      for (const id of ids)
        if (!exclude.has(id) && pool.length < want) {
          exclude.add(id);
          pool.push({ id, reason });
        }
    };

    if (hash && read.length)
      add(await this.repo.coViewed(hash, current ? [current.id] : [], want), 'readers-also-read');
    if (pool.length < want && current)
      add(
        (await this.related.rows(current, want)).map((r) => r.id),
        'related',
      );
    const section = req.section ?? (await this.sectionSlugOf(current));
    const popular = async (s: string | undefined) =>
      (
        await this.rankings.scored({
          window: POPULAR_WINDOW,
          sort: 'popular',
          section: s,
          limit: Math.min(want + exclude.size, 100),
        })
      ).map((r) => r.id);
    if (pool.length < want && section) add(await popular(section), 'popular-in-section');
    if (pool.length < want) add(await popular(undefined), 'popular');

    const suggestions = await toSuggestions(this.reader, pool, shape);
    return diversify(suggestions, limit);
  }

  private async sectionSlugOf(current: SourceArticle | null): Promise<string | undefined> {
    if (!current?.sectionId) return undefined;
    return (await this.sections.tree()).ref(current.sectionId)?.slug;
  }
}

type Sectioned = { id: string; section?: { id: string } | null; sectionId?: string | null };
/** An article without a section is a group of its own. */
const sectionOf = (a: Sectioned) => ('sectionId' in a ? a.sectionId : a.section?.id) ?? `article:${a.id}`;

/** Keeps the order, taking at most half of `limit` from one section while others are available. */
export function diversify<T extends { article: Sectioned }>(items: T[], limit: number): T[] {
  const cap = Math.max(1, Math.floor(limit / 2));
  const counts = new Map<string, number>();
  const picked: T[] = [];
  const skipped: T[] = [];
  for (const item of items) {
    if (picked.length === limit) break;
    const key = sectionOf(item.article);
    const n = counts.get(key) ?? 0;
    if (n < cap) {
      counts.set(key, n + 1);
      picked.push(item);
    } else skipped.push(item);
  }
  return [...picked, ...skipped].slice(0, limit);
}
