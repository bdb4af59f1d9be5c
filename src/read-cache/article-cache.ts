import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  CacheInvalidation,
  REACTIONS_CHANGED,
  type ReactionsChanged,
} from '../common/cache/cache-invalidation';
import { Clock, lruClock } from '../common/clock/clock';
import { ClusterBus } from '../common/cluster/cluster-bus';
import { strongEtag } from '../common/http-cache/etag';
import { MetricsService } from '../observability/metrics.service';
import { articleKeys } from '../articles/article-surrogate-keys';
import type { Pins } from '../articles/article-reader.service';
import type { Article, ReactionCount } from '../articles/article.model';
import { ChangeGuard } from './change-guard';
import { GraphqlAnswerCache } from './graphql-answer-cache';
import { ListCache } from './list-cache';

/**
 * Public articles kept per instance, and a bound on their memory: an answer's bytes (off the
 * heap), plus the objects GraphQL may parse from them (counted as twice the bytes). 10,000
 * articles of 10 KB take about 300 MB of it.
 */
const MAX_ARTICLES = 50_000;
const MAX_BYTES = 512 * 2 ** 20;
/**
 * Backstop only: every write invalidates at once (here) and through the ClusterBus (elsewhere),
 * and a gap in bus delivery clears the cache. This bounds view counts, which nothing publishes.
 */
const ARTICLE_TTL_MS = 5 * 60_000;
/**
 * A read between these shares of the time to live (spread at random, so entries filled together
 * are not all read again together) refreshes the entry in the background: a hot article is never
 * missed in front of a reader, and its view count is never older than the time to live.
 */
const REFRESH_FROM = 0.5;
const REFRESH_SPREAD = 0.4;

/** Where the reaction counts of an article go in a cached answer. */
const NONCE = randomBytes(8).toString('hex');
const HOLE = new RegExp(`"\\\\u0001${NONCE}:([0-9a-f-]{36})"`, 'g');
const holeOf = (id: string) => `\u0001${NONCE}:${id}`;

interface Counts {
  list: ReactionCount[];
  json: string;
  /** Bumped on every change, so a composed answer knows when it is out of date. */
  version: number;
}

/** Where one article's reaction counts sit in a cached answer's bytes. */
interface Hole {
  id: string;
  start: number;
  end: number;
}

/**
 * One public article: the answer's UTF-8 bytes with the current counts in place, and where the
 * counts sit, so a count change rewrites only those bytes. One copy per article, off the heap.
 */
export interface ArticleEntry {
  id: string;
  slug: string;
  publishedAtMs: number;
  /** When a read should refresh it in the background (see REFRESH_FROM). */
  refreshAt: number;
  /**
   * Every article it pins, public or not: the answer shows the public ones, and a pinned draft
   * that is published must show at once, so a change to any of them drops this entry.
   */
  pins: string[];
  /** When a pin scheduled for later becomes public (nothing announces it): no longer served then. */
  freshUntilMs: number;
  surrogateKey: string;
  body: Buffer;
  holes: Hole[];
  /** The counts' versions the body was composed with. */
  stamp: string;
  etag: string;
  /** The bytes parsed, for GraphQL: made on its first read of this version. */
  object?: { body: Buffer; article: Article };
}

/** Reads the current reaction counts of articles, every configured type (the articles feature). */
export type CountsReader = (ids: readonly string[]) => Promise<ReactionCount[][]>;

/**
 * What a kept GraphQL answer showing a cached article depends on: the article and every article it
 * pins, public or not (a pinned draft that is published must show at once), and when a pin
 * scheduled for later becomes public (epoch ms), which nothing announces.
 */
export interface ShownDependencies {
  ids: readonly string[];
  untilMs: number;
}

export interface ComposedAnswer {
  body: Buffer;
  etag: string;
  surrogateKey: string;
}

/**
 * The in-process cache of published article answers, keyed by id and slug. The slow-changing part
 * (everything but reaction counts) is kept as JSON; counts live in their own map, updated in place
 * from 'reactions.changed' and re-read on a miss, and go into the answer when it is composed.
 * Only public articles are stored (a fill reads as the public), never a draft or an article
 * scheduled for later; editors never read through it.
 */
@Injectable()
export class ArticleCache implements OnModuleInit {
  private readonly byId: LRUCache<string, ArticleEntry>;
  private readonly idBySlug = new LRUCache<string, string>({ max: MAX_ARTICLES });
  /** Article id → ids of cached articles that pin it (and show it once it is public). */
  private readonly shownIn = new Map<string, Set<string>>();
  private readonly counts: LRUCache<string, Counts>;
  /** Fills in flight, so a burst of misses on one article reads it once. */
  private readonly inflight = new Map<string, Promise<ArticleEntry | null>>();
  private readonly guard = new ChangeGuard();
  private countsVersion = 0;
  private epoch = 0;
  private readCounts: CountsReader = () => Promise.reject(new Error('no reader of reaction counts'));
  /** The articles GraphQL parsed from cached entries, and what an answer showing one depends on. */
  private readonly shown = new WeakMap<object, ShownDependencies>();

  constructor(
    private readonly invalidation: CacheInvalidation,
    private readonly bus: ClusterBus,
    readonly lists: ListCache,
    readonly graphqlAnswers: GraphqlAnswerCache,
    private readonly metrics: MetricsService,
    private readonly clock: Clock,
  ) {
    this.counts = new LRUCache<string, Counts>({
      max: MAX_ARTICLES * 4,
      ttl: ARTICLE_TTL_MS,
      ...lruClock(clock),
    });
    this.byId = new LRUCache<string, ArticleEntry>({
      max: MAX_ARTICLES,
      maxSize: MAX_BYTES,
      ttl: ARTICLE_TTL_MS,
      ...lruClock(clock),
      dispose: (entry) => this.unlink(entry),
    });
  }

  onModuleInit(): void {
    this.invalidation.onInvalidate((m) => {
      if (m.all) this.clear();
      else if (Array.isArray(m.articleIds)) this.invalidate(m.articleIds);
    });
    this.bus.subscribe(REACTIONS_CHANGED, (m) => this.reactionsChanged(m as ReactionsChanged));
  }

  /** The articles feature tells the cache how to read counts (it owns their SQL). */
  useCountsReader(read: CountsReader): void {
    this.readCounts = read;
  }

  /** What an answer that shows this object depends on, if it is an article from this cache. */
  dependenciesOf(shown: object): ShownDependencies | undefined {
    return this.shown.get(shown);
  }

  /** False while bus messages may be lost: read from the database then. */
  usable(): boolean {
    const epoch = this.bus.deliveryEpoch;
    if (epoch < 0) return false;
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.clear();
    }
    return true;
  }

  get(key: { id: string } | { slug: string }): ArticleEntry | undefined {
    if (!this.usable()) return undefined;
    const id = 'id' in key ? key.id.toLowerCase() : this.idBySlug.get(key.slug);
    const entry = id === undefined ? undefined : this.byId.get(id);
    if (!entry || ('slug' in key && entry.slug !== key.slug)) return undefined;
    // Stored only when public; checked again so nothing can outlive its own publication time,
    // nor the publication time of an article it pins.
    const now = this.clock.now();
    if (entry.publishedAtMs > now || entry.freshUntilMs <= now) return undefined;
    return entry;
  }

  /** True once per entry, when it is due for its background refresh. */
  dueForRefresh(entry: ArticleEntry): boolean {
    if (this.clock.now() < entry.refreshAt) return false;
    entry.refreshAt = Number.POSITIVE_INFINITY;
    return true;
  }

  /**
   * Reads an article once for every concurrent miss on the same key. `read` gets the value of
   * `begin()` for its `store`. A change drops the fills in flight, so a read that starts after
   * a write's answer never joins a fill that started before it.
   */
  fill(key: { id: string } | { slug: string }, read: (since: number) => Promise<ArticleEntry | null>) {
    const k = 'id' in key ? `i:${key.id.toLowerCase()}` : `s:${key.slug}`;
    const running = this.inflight.get(k);
    if (running) return running;
    this.metrics.recordReadCacheFill('article');
    const promise = read(this.begin()).finally(() => {
      if (this.inflight.get(k) === promise) this.inflight.delete(k);
    });
    this.inflight.set(k, promise);
    return promise;
  }

  /** Call before reading what will be stored; pass the result to `store`. */
  begin(): number {
    return this.guard.begin();
  }

  private changedSince(since: number, ids: readonly string[]): boolean {
    return this.guard.changedSince(since, ids);
  }

  /**
   * Makes an entry of a public article read after `begin()`, with every article it pins (`pins`,
   * read after `begin()` too). It is kept only if nothing it shows or pins changed meanwhile (a
   * write that committed during the read must not be hidden by the read).
   */
  store(since: number, article: Article, pins: Pins): ArticleEntry {
    const pinned = [...new Set([...article.relatedArticles.map((r) => r.id), ...pins.ids])];
    const withHoles: Article = {
      ...article,
      reactions: holeOf(article.id) as never,
      relatedArticles: article.relatedArticles.map((r) => ({ ...r, reactions: holeOf(r.id) as never })),
    };
    const json = JSON.stringify(withHoles);
    const pieces: Buffer[] = [];
    const holes: Hole[] = [];
    let last = 0;
    let at = 0;
    const counts = new Map([article, ...article.relatedArticles].map((s) => [s.id, s.reactions]));
    for (const m of json.matchAll(HOLE)) {
      const before = Buffer.from(json.slice(last, m.index), 'utf8');
      const filled = Buffer.from(JSON.stringify(counts.get(m[1]) ?? []), 'utf8');
      pieces.push(before, filled);
      at += before.length;
      holes.push({ id: m[1], start: at, end: at + filled.length });
      at += filled.length;
      last = (m.index ?? 0) + m[0].length;
    }
    pieces.push(Buffer.from(json.slice(last), 'utf8'));
    const body = Buffer.concat(pieces);
    const fresh = this.usable() && !this.changedSince(since, [article.id, ...pinned]);
    // The counts read with the article are kept unless a change came meanwhile.
    const versions = new Map<string, number>();
    for (const s of [article, ...article.relatedArticles]) {
      if (!this.changedSince(since, [s.id])) versions.set(s.id, this.setCounts(s.id, s.reactions).version);
    }
    const entry: ArticleEntry = {
      id: article.id,
      slug: article.slug,
      publishedAtMs: article.publishedAt ? Date.parse(article.publishedAt) : Number.POSITIVE_INFINITY,
      refreshAt: this.clock.now() + ARTICLE_TTL_MS * (REFRESH_FROM + REFRESH_SPREAD * Math.random()),
      pins: pinned,
      freshUntilMs: pins.nextPublicAtMs,
      surrogateKey: [...new Set(articleKeys(article))].join(' '),
      body,
      holes,
      // Unknown versions (counts not kept) make the next answer compose afresh.
      stamp: holes.map((h) => versions.get(h.id) ?? -1).join(','),
      etag: strongEtag(body),
    };
    const now = this.clock.now();
    if (fresh && entry.publishedAtMs <= now && entry.freshUntilMs > now) {
      // The bytes, and room for the objects GraphQL may parse from them (about twice the bytes).
      this.byId.set(entry.id, entry, { size: body.length * 3 + 512 });
      this.idBySlug.set(entry.slug, entry.id);
      for (const r of pinned) {
        const set = this.shownIn.get(r) ?? new Set<string>();
        set.add(entry.id);
        this.shownIn.set(r, set);
      }
    }
    return entry;
  }

  /** The answer's bytes with the current counts, and its strong ETag. */
  async compose(entry: ArticleEntry): Promise<ComposedAnswer> {
    const counts = await this.countsOf(entry.holes.map((h) => h.id));
    const stamp = counts.map((c) => c.version).join(',');
    if (entry.stamp !== stamp) {
      const pieces: Buffer[] = [];
      const holes: Hole[] = [];
      let from = 0;
      let at = 0;
      entry.holes.forEach((h, i) => {
        const before = entry.body.subarray(from, h.start);
        const filled = Buffer.from(counts[i].json, 'utf8');
        pieces.push(before, filled);
        at += before.length;
        holes.push({ id: h.id, start: at, end: at + filled.length });
        at += filled.length;
        from = h.end;
      });
      pieces.push(entry.body.subarray(from));
      // Entries are shared: replace the fields together, between two awaits.
      entry.body = Buffer.concat(pieces);
      entry.holes = holes;
      entry.stamp = stamp;
      entry.etag = strongEtag(entry.body);
    }
    return { body: entry.body, etag: entry.etag, surrogateKey: entry.surrogateKey };
  }

  /**
   * The answer as objects (GraphQL), with the current counts: parsed once per version of the
   * bytes and shared by every reader (GraphQL only reads it).
   */
  async article(entry: ArticleEntry): Promise<Article> {
    const { body } = await this.compose(entry);
    if (entry.object?.body !== body) {
      const article = JSON.parse(body.toString('utf8')) as Article;
      this.shown.set(article, { ids: [entry.id, ...entry.pins], untilMs: entry.freshUntilMs });
      entry.object = { body, article };
    }
    return entry.object.article;
  }

  private async countsOf(ids: readonly string[]): Promise<Counts[]> {
    const found = ids.map((id) => this.counts.get(id));
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length) {
      const since = this.begin();
      const unique = [...new Set(missing)];
      const lists = await this.readCounts(unique);
      for (const [n, id] of unique.entries()) {
        const list = lists[n];
        const counts = this.changedSince(since, [id])
          ? { list, json: JSON.stringify(list), version: ++this.countsVersion }
          : this.setCounts(id, list);
        for (let i = 0; i < ids.length; i++) if (ids[i] === id) found[i] = counts;
      }
    }
    return found as Counts[];
  }

  private setCounts(id: string, list: ReactionCount[]): Counts {
    const counts = { list, json: JSON.stringify(list), version: ++this.countsVersion };
    this.counts.set(id, counts);
    return counts;
  }

  private reactionsChanged(m: ReactionsChanged): void {
    if (!m || typeof m.articleId !== 'string' || typeof m.type !== 'string' || typeof m.count !== 'number')
      return;
    this.touch(m.articleId);
    this.lists.invalidate([m.articleId]);
    this.graphqlAnswers.countsChanged([m.articleId]);
    const current = this.counts.get(m.articleId);
    if (!current) return;
    if (!current.list.some((c) => c.type === m.type)) {
      // A type this instance does not know: read them all again on the next answer.
      this.counts.delete(m.articleId);
      return;
    }
    const list = current.list.map((c) => (c.type === m.type ? { ...c, count: m.count } : c));
    this.counts.set(m.articleId, { list, json: JSON.stringify(list), version: ++this.countsVersion });
  }

  private touch(id: string): void {
    this.guard.changed([id]);
  }

  /**
   * These articles changed: drop them, the articles and GraphQL answers that show them, and
   * every list.
   */
  invalidate(ids: readonly string[]): void {
    this.inflight.clear();
    this.graphqlAnswers.articlesChanged(ids);
    for (const id of ids) {
      this.touch(id);
      this.byId.delete(id);
      this.counts.delete(id);
      for (const other of this.shownIn.get(id) ?? []) this.byId.delete(other);
      this.shownIn.delete(id);
    }
    this.lists.clear();
  }

  clear(): void {
    this.inflight.clear();
    this.guard.everything();
    this.byId.clear();
    this.idBySlug.clear();
    this.counts.clear();
    this.shownIn.clear();
    this.lists.clear();
    this.graphqlAnswers.clear();
  }

  private unlink(entry: ArticleEntry): void {
    if (this.idBySlug.peek(entry.slug) === entry.id) this.idBySlug.delete(entry.slug);
    for (const r of entry.pins) {
      const set = this.shownIn.get(r);
      set?.delete(entry.id);
      if (set && !set.size) this.shownIn.delete(r);
    }
  }
}
