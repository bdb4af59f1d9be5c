import { Inject, Injectable } from '@nestjs/common';
import { Clock, lruClock } from '../common/clock/clock';
import { LRUCache } from 'lru-cache';
import { ArticleReader, type Viewer } from '../articles/article-reader.service';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { parseIdOrSlug, SLUG_PATTERN, SLUG_MAX } from '../common/http/id-or-slug.pipe';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { type ArticleOf, type ArticleShape } from '../related/suggestions';
import { SectionsService } from '../sections/sections.service';
import type { CuratedRankingInput } from './dto/ranking.args';
import {
  RANKING_CACHE_MS,
  RANKING_WINDOWS,
  TRENDING_HALF_LIFE_HOURS,
  type RankingSort,
  type RankingWindow,
} from './ranking-windows';
import { RankingsRepository, type ScoredId } from './rankings.repository';

export interface RankingRequest {
  window: RankingWindow;
  section?: string;
  sort: RankingSort;
  limit: number;
}

const CACHE_ENTRIES = 500;

function checkSlug(slug: string): void {
  if (slug.length > SLUG_MAX || !SLUG_PATTERN.test(slug))
    throw DomainError.validation([{ path: 'slug', message: 'must be a slug' }]);
}

/** Rankings: computed from views and reactions, and curated by editors. */
@Injectable()
export class RankingsService {
  /**
   * Computed rankings by request, each for RANKING_CACHE_MS. `fetch` computes a missing one once
   * for every concurrent reader; a failed computation is not kept.
   */
  private readonly cache: LRUCache<string, ScoredId[], RankingRequest>;

  constructor(
    private readonly repo: RankingsRepository,
    private readonly reader: ArticleReader,
    private readonly sections: SectionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    clock: Clock,
  ) {
    this.cache = new LRUCache<string, ScoredId[], RankingRequest>({
      max: CACHE_ENTRIES,
      ttl: RANKING_CACHE_MS,
      ...lruClock(clock),
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => this.compute(context),
    });
  }

  /**
   * The ids and scores of a ranking, best first. Each instance reuses an answer for at most
   * RANKING_CACHE_MS and then recomputes it from the database, so instances never disagree for
   * longer than that.
   */
  async scored(req: RankingRequest): Promise<ScoredId[]> {
    const key = `${req.window}|${req.section ?? ''}|${req.sort}|${req.limit}`;
    return (await this.cache.fetch(key, { context: req })) ?? [];
  }

  private async compute(req: RankingRequest): Promise<ScoredId[]> {
    let sectionIds: string[] | null = null;
    if (req.section) {
      const tree = await this.sections.tree();
      const section = tree.find({ slug: req.section });
      if (!section) return [];
      sectionIds = tree.subtreeIds(section.id);
    }
    return this.repo.top({
      hours: RANKING_WINDOWS[req.window],
      trendingHalfLife: req.sort === 'trending' ? TRENDING_HALF_LIFE_HOURS : null,
      sectionIds,
      weightView: this.config.rankingWeightView,
      weightReaction: this.config.rankingWeightReaction,
      limit: req.limit,
    });
  }

  /** The ranking with its articles: one aggregate (or the cache) and the bulk article fetch. */
  async ranking<S extends ArticleShape>(
    req: RankingRequest,
    shape: S,
  ): Promise<{ rank: number; score: number; article: ArticleOf<S> }[]> {
    const scored = await this.scored(req);
    const articles = await this.articles(
      scored.map((s) => s.id),
      { editor: false },
      shape,
    );
    const byId = new Map(articles.map((a) => [a.id, a]));
    return scored
      .filter((s) => byId.has(s.id))
      .map((s, i) => ({ rank: i + 1, score: s.score, article: byId.get(s.id) as ArticleOf<S> }));
  }

  private async articles<S extends ArticleShape>(
    ids: string[],
    viewer: Viewer,
    shape: S,
  ): Promise<ArticleOf<S>[]> {
    return (
      shape === 'summary'
        ? await this.reader.summariesByIds(ids, viewer)
        : await this.reader.recordsByIds(ids, viewer, true)
    ) as ArticleOf<S>[];
  }

  // ---- curated lists ----

  /**
   * A curated list. The public sees its public members only, ranked 1..n among themselves;
   * editors see every member outside the trash (drafts included), ranked the same way.
   */
  async curated<S extends ArticleShape>(slug: string, viewer: Viewer, shape: S) {
    checkSlug(slug);
    const row = await this.repo.findCurated(slug);
    if (!row) return null;
    const articles = await this.articles(row.articleIds, viewer, shape);
    return {
      slug: row.slug,
      title: row.title,
      updatedAt: row.updatedAt.toISOString(),
      data: articles.map((article, i) => ({ rank: i + 1, article })),
    };
  }

  async getCurated<S extends ArticleShape>(slug: string, viewer: Viewer, shape: S) {
    const found = await this.curated(slug, viewer, shape);
    if (!found) throw new DomainError('RANKING_NOT_FOUND', 'No such ranking.');
    return found;
  }

  /** Creates or replaces a list atomically; every member must be an article outside the trash. */
  async putCurated<S extends ArticleShape>(slug: string, input: CuratedRankingInput, shape: S, actor: Actor) {
    checkSlug(slug);
    const errors: FieldError[] = [];
    const keys = input.articles.map((value, i) => {
      try {
        return parseIdOrSlug(value, `articles[${i}]`);
      } catch {
        errors.push({ path: `articles[${i}]`, message: 'must be an article id or slug' });
        return null;
      }
    });
    if (errors.length) throw DomainError.validation(errors);
    const found = await this.repo.resolveArticles(
      keys.flatMap((k) => (k && 'id' in k ? [k.id] : [])),
      keys.flatMap((k) => (k && 'slug' in k ? [k.slug] : [])),
    );
    const ids: string[] = [];
    keys.forEach((k, i) => {
      const hit = k && found.find((f) => ('id' in k ? f.id === k.id : f.slug === k.slug));
      if (!hit) errors.push({ path: `articles[${i}]`, message: 'no such article' });
      else if (ids.includes(hit.id))
        errors.push({ path: `articles[${i}]`, message: 'is already in the list' });
      else ids.push(hit.id);
    });
    if (errors.length) throw DomainError.validation(errors);
    await this.repo.putCurated(slug, input.title.trim(), ids, async (m, outcome) => {
      if (outcome === 'unchanged') return;
      await this.audit.record(m, actor, {
        action: outcome === 'created' ? 'ranking.create' : 'ranking.update',
        entityType: 'ranking',
        entityId: slug,
        summary: `${outcome} curated ranking ${JSON.stringify(input.title.trim())} with ${ids.length} articles`,
      });
    });
    return this.getCurated(slug, { editor: true }, shape);
  }
}
