import { Injectable, OnModuleInit } from '@nestjs/common';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { Clock } from '../common/clock/clock';
import { AnswerCache } from '../read-cache/answer-cache';
import { LIST_TTL_MS } from '../read-cache/list-cache';

/** A rendered feed or sitemap. */
export interface DeliveryAnswer {
  contentType: string;
  body: string;
  /** Surrogate keys: what a shared cache purges it by. */
  keys: string[];
}

/**
 * Rendered feeds and sitemaps by what they show, so the first read renders and the next ones
 * answer from memory. Any change to any article or section drops them all on every instance (a
 * story can enter or leave any feed), and none lives past LIST_TTL_MS, so a scheduled story shows
 * within a second of its time, as lists do. Concurrent misses of one answer render it once.
 */
@Injectable()
export class DeliveryCache implements OnModuleInit {
  private readonly answers: AnswerCache<DeliveryAnswer>;
  private readonly rendering = new Map<string, Promise<DeliveryAnswer>>();

  constructor(
    private readonly invalidation: CacheInvalidation,
    clock: Clock,
  ) {
    this.answers = new AnswerCache<DeliveryAnswer>({ ttlMs: LIST_TTL_MS, max: 500 }, clock);
  }

  onModuleInit(): void {
    this.invalidation.onInvalidate(() => {
      this.rendering.clear();
      this.answers.clear();
    });
  }

  async get(key: string, render: () => Promise<DeliveryAnswer>): Promise<DeliveryAnswer> {
    const hit = this.answers.get(key);
    if (hit) return hit;
    const running = this.rendering.get(key);
    if (running) return running;
    const since = this.answers.begin();
    const promise = render()
      .then((answer) => {
        // Refused when anything changed since the render began (see AnswerCache.store).
        this.answers.store(since, key, answer, []);
        return answer;
      })
      .finally(() => {
        if (this.rendering.get(key) === promise) this.rendering.delete(key);
      });
    this.rendering.set(key, promise);
    return promise;
  }
}
