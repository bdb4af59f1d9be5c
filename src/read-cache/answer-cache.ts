import { LRUCache } from 'lru-cache';
import { lruClock, type Clock } from '../common/clock/clock';
import { ChangeGuard } from './change-guard';

export interface AnswerCacheOptions<T> {
  /** At most this old, whatever happens. */
  ttlMs: number;
  max: number;
  /**
   * Each answer lives a random share (50–100 %) of ttlMs, so answers filled together do not all
   * expire together.
   */
  spreadTtl?: boolean;
  /** A bound on memory besides `max`: the total of `sizeOf` over the answers kept. */
  maxSize?: number;
  sizeOf?: (value: T) => number;
}

interface Kept<T> {
  value: T;
  ids: string[];
}

/**
 * Finished public answers by a key, each with the ids of the articles it shows, kept until
 * one of them changes (`invalidate`), everything changes (`clear`) or the time to live ends.
 * Reads record `begin()` before they start; `store` refuses an answer if something it shows
 * changed since, so an answer read before a write never outlives that write's acknowledgement.
 */
export class AnswerCache<T> {
  private readonly answers: LRUCache<string, Kept<T>>;
  /** Article id → keys of cached answers that show it. */
  private readonly shownIn = new Map<string, Set<string>>();
  /** Answers being read now: the other readers of the same key wait for that one read. */
  private readonly filling = new Map<string, Promise<void>>();
  private readonly guard = new ChangeGuard();
  private readonly ttlMs: number;
  private readonly spreadTtl: boolean;

  constructor(
    options: AnswerCacheOptions<T>,
    private readonly clock: Clock,
  ) {
    this.ttlMs = options.ttlMs;
    this.spreadTtl = options.spreadTtl === true;
    this.answers = new LRUCache<string, Kept<T>>({
      max: options.max,
      ttl: options.ttlMs,
      ...lruClock(clock),
      ...(options.maxSize && options.sizeOf
        ? {
            maxSize: options.maxSize,
            sizeCalculation: (a: Kept<T>) => (options.sizeOf as (v: T) => number)(a.value),
          }
        : {}),
      dispose: (answer, key) => this.unlink(answer.ids, key),
    });
  }

  get(key: string): T | undefined {
    return this.answers.get(key)?.value;
  }

  begin(): number {
    return this.guard.begin();
  }

  /** A read of this key in flight, if any: wait for it, then look again. */
  inFlight(key: string): Promise<void> | undefined {
    return this.filling.get(key);
  }

  /** This request reads the answer; call the function given back when it is sent. */
  startFill(key: string): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => {
      // Waiters never wait long, even for an answer that never ends.
      const timer = setTimeout(resolve, 2_000);
      timer.unref();
      release = () => {
        clearTimeout(timer);
        resolve();
        if (this.filling.get(key) === promise) this.filling.delete(key);
      };
    });
    this.filling.set(key, promise);
    return release;
  }

  /**
   * Keeps an answer read after `begin()` unless something it shows changed meanwhile; never past
   * `untilMs` (epoch milliseconds), when it changes with nothing to announce it.
   */
  store(
    since: number,
    key: string,
    value: T,
    ids: readonly string[],
    untilMs = Number.POSITIVE_INFINITY,
  ): void {
    if (this.guard.changedSince(since, ids)) return;
    const unique = [...new Set(ids)];
    const ttl = Math.min(
      this.spreadTtl ? Math.round(this.ttlMs * (0.5 + 0.5 * Math.random())) : this.ttlMs,
      Math.floor(untilMs - this.clock.now()),
    );
    if (ttl <= 0) return;
    this.answers.set(key, { value, ids: unique }, { ttl });
    for (const id of unique) {
      const set = this.shownIn.get(id) ?? new Set<string>();
      set.add(key);
      this.shownIn.set(id, set);
    }
  }

  /** Drops the answers that show these articles. */
  invalidate(ids: readonly string[]): void {
    this.guard.changed(ids);
    for (const id of ids) for (const key of this.shownIn.get(id) ?? []) this.answers.delete(key);
  }

  clear(): void {
    this.guard.everything();
    this.answers.clear();
    this.shownIn.clear();
  }

  private unlink(ids: readonly string[], key: string): void {
    for (const id of ids) {
      const set = this.shownIn.get(id);
      set?.delete(key);
      if (set && !set.size) this.shownIn.delete(id);
    }
  }
}
