import { Injectable, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ArticleReader, type Viewer } from '../articles/article-reader.service';
import { AnswerCache } from '../read-cache/answer-cache';
import { Clock, lruClock } from '../common/clock/clock';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { DomainError } from '../common/errors/domain-error';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { SectionsService } from '../sections/sections.service';
import { RelatedRepository, similarityQuery, type RelatedRow } from './related.repository';
import { toSuggestions, type ArticleShape } from './suggestions';

export interface SourceArticle {
  id: string;
  sectionId: string | null;
}

/**
 * How long an article's related ids are kept. A change to the article itself (its pins, tags,
 * section, text) drops them at once, and articles that stop being public drop out of every
 * answer at once (the ids are turned into articles on each read); a newly published article
 * joins other articles' lists within this time (each list lives a random 50–100 % of it; editors
 * pin a follow-up to show it at once, also one published or coming due after it was pinned).
 * Working a list out costs tens of milliseconds of database time, so it is not done per read.
 */
export const RELATED_TTL_MS = 10 * 60_000;
/** Rows worked out per article at least, so pages (5) and recommendations (15) share one. */
const RELATED_POOL = 15;
/** How long the lexeme frequencies (they change with ANALYZE only) are reused. */
const FREQUENCIES_TTL_MS = 10 * 60_000;

/** Related articles: editor pins, then shared tags, the section and its ancestors, similar text. */
@Injectable()
export class RelatedService implements OnModuleInit {
  private readonly kept: AnswerCache<RelatedRow[]>;
  private readonly frequencies: LRUCache<'all', Map<string, number>>;

  constructor(
    private readonly repo: RelatedRepository,
    private readonly reader: ArticleReader,
    private readonly sections: SectionsService,
    private readonly invalidation: CacheInvalidation,
    clock: Clock,
  ) {
    this.kept = new AnswerCache({ ttlMs: RELATED_TTL_MS, spreadTtl: true, max: 50_000 }, clock);
    this.frequencies = new LRUCache({
      max: 1,
      ttl: FREQUENCIES_TTL_MS,
      ...lruClock(clock),
      fetchMethod: () => this.repo.lexemeFrequencies(),
    });
  }

  onModuleInit(): void {
    this.invalidation.onInvalidate((m) => {
      if (Array.isArray(m.articleIds)) this.kept.invalidate(m.articleIds);
    });
  }

  /** For an article the viewer may see (404 otherwise); the list itself is public articles only. */
  async forArticle<S extends ArticleShape>(key: IdOrSlug, viewer: Viewer, limit: number, shape: S) {
    const source = await this.reader.findRecord(key, viewer);
    if (!source) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return this.of(source, limit, shape);
  }

  async of<S extends ArticleShape>(source: SourceArticle, limit: number, shape: S) {
    return toSuggestions(this.reader, await this.rows(source, limit), shape);
  }

  /** Ids and reasons, best first: kept for RELATED_TTL_MS, else one query. */
  async rows(source: SourceArticle, limit: number): Promise<RelatedRow[]> {
    const pool = Math.max(limit, RELATED_POOL);
    const key = `${source.id}:${pool}`;
    let rows = this.kept.get(key);
    if (!rows) {
      const since = this.kept.begin();
      // The pins too, public or not: a pinned draft that is published (or a pin that comes due)
      // must lead the list at once, not when the list ends its time.
      const [computed, pins] = await Promise.all([this.compute(source, pool), this.reader.pins(source.id)]);
      rows = computed;
      this.kept.store(since, key, rows, [source.id, ...pins.ids], pins.nextPublicAtMs);
    }
    return rows.slice(0, limit);
  }

  private async compute(source: SourceArticle, limit: number): Promise<RelatedRow[]> {
    const tree = await this.sections.tree();
    const ancestorIds = source.sectionId
      ? tree
          .breadcrumb(source.sectionId)
          .map((s) => s.id)
          .filter((id) => id !== source.sectionId)
      : [];
    const [lexemes, frequencies] = await Promise.all([
      this.repo.lexemesOf(source.id),
      this.frequencies.fetch('all'),
    ]);
    return this.repo.related({
      articleId: source.id,
      sectionId: source.sectionId,
      ancestorIds,
      limit,
      similarTo: similarityQuery(lexemes, frequencies ?? new Map<string, number>()),
    });
  }
}
