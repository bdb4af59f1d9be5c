import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError } from '../errors/domain-error';

export type Budget = 'reactions' | 'authFailures' | 'searches' | 'graphqlCost';

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * Per-client budgets over one-minute windows: reactions and view beacons share one, requests
 * with a bad key have another (both per IP), and the expensive public reads have two (per client,
 * see read-budget.ts): full-text searches, and GraphQL cost. A limit of 0 turns a budget off.
 *
 * With REDIS_URL the budgets live in Redis, shared by every instance. When Redis cannot answer,
 * each instance falls back to its own in-memory budget (fail open to a per-instance limit, never
 * to no limit, and never to refusing everyone), with a warning; it goes back to Redis by itself.
 */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimitService.name);
  private readonly limiters = new Map<Budget, RateLimiterAbstract>();
  private readonly limits: Record<Budget, number>;
  private redis?: Redis;
  private warnedAt = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limits = {
      reactions: config.rateLimitReactionsPerMinute,
      authFailures: config.rateLimitAuthFailuresPerMinute,
      searches: config.rateLimitSearchesPerMinute,
      graphqlCost: config.rateLimitGraphqlCostPerMinute,
    };
    for (const budget of Object.keys(this.limits) as Budget[]) {
      if (this.limits[budget] > 0) {
        this.limiters.set(
          budget,
          new RateLimiterMemory({ keyPrefix: budget, points: this.limits[budget], duration: 60 }),
        );
      }
    }
    if (config.redisUrl && this.limiters.size > 0) this.useRedis(config.redisUrl);
  }

  /** Budgets in Redis, each with its in-memory limiter as the insurance when Redis fails. */
  private useRedis(url: string): void {
    // No offline queue: while Redis is away a command fails at once and the insurance answers.
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', (err: Error) => this.warn(`Redis unavailable for rate limits: ${err.message}`));
    this.redis = redis;
    for (const [budget, memory] of this.limiters) {
      this.limiters.set(
        budget,
        new RateLimiterRedis({
          storeClient: redis,
          useRedisPackage: false,
          rejectIfRedisNotReady: true,
          keyPrefix: `dateline:rate:${budget}`,
          points: this.limits[budget],
          duration: 60,
          insuranceLimiter: memory,
        }),
      );
    }
  }

  /** At most one warning a minute, however many requests hit a missing Redis. */
  private warn(message: string): void {
    if (Date.now() - this.warnedAt < 60_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`${message}; using this instance's in-memory budgets until it is back`);
  }

  /** True when the budgets are shared through Redis (configured; Redis may still be down). */
  get shared(): boolean {
    return this.redis !== undefined;
  }

  async onModuleDestroy(): Promise<void> {
    const redis = this.redis;
    this.redis = undefined;
    if (!redis) return;
    // A clean QUIT when connected; otherwise stop reconnecting at once.
    if (redis.status === 'ready') await redis.quit().catch(() => undefined);
    redis.disconnect();
  }

  /** Use a store shared between instances (Redis) instead of this process's memory. */
  replaceLimiter(budget: Budget, factory: (points: number) => RateLimiterAbstract): void {
    if (this.limits[budget] > 0) this.limiters.set(budget, factory(this.limits[budget]));
  }

  /** True when this budget counts anything (its limit is not 0). */
  enabled(budget: Budget): boolean {
    return this.limiters.has(budget);
  }

  /**
   * Takes `points` from the caller's budget; throws RATE_LIMITED (with the headers' values) when
   * the budget is spent. Returns the state for RateLimit-* headers, or null when the budget is off.
   */
  async consume(budget: Budget, client: string, points = 1): Promise<RateLimitState | null> {
    const limiter = this.limiters.get(budget);
    if (!limiter) return null;
    const limit = this.limits[budget];
    try {
      const res = await limiter.consume(client, points);
      return { limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const resetSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new DomainError('RATE_LIMITED', 'Too many requests; slow down.', undefined, {
        retryAfter: resetSeconds,
        rateLimit: { limit, remaining: 0, resetSeconds },
      });
    }
  }

  /**
   * Takes from several budgets at once, all or nothing: when one refuses, every point taken for
   * this request is given back (the refusing budget's too), so a refused request costs the client
   * nothing and a cheaper one still fits what is left. Returns the state of the budget closest to
   * running out (for RateLimit-* headers), or null when every one is off.
   */
  async consumeAll(client: string, spends: readonly [Budget, number][]): Promise<RateLimitState | null> {
    const taken: [Budget, number][] = [];
    let closest: RateLimitState | null = null;
    try {
      for (const [budget, points] of spends) {
        if (points <= 0 || !this.limiters.has(budget)) continue;
        taken.push([budget, points]);
        const state = (await this.consume(budget, client, points)) as RateLimitState;
        if (!closest || state.remaining / state.limit < closest.remaining / closest.limit) closest = state;
      }
      return closest;
    } catch (err) {
      if (err instanceof DomainError && err.code === 'RATE_LIMITED') {
        for (const [budget, points] of taken) {
          const limiter = this.limiters.get(budget) as RateLimiterAbstract;
          // At worst a refund that fails leaves the budget as spent as if the request had run.
          await limiter.reward(client, points).catch(() => undefined);
        }
      }
      throw err;
    }
  }
}
