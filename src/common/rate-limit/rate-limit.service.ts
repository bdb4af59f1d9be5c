import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError } from '../errors/domain-error';

export type Budget = 'reactions' | 'authFailures';

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * Per-IP budgets over one-minute windows: reactions and view beacons share one, requests with a
 * bad key have another. A limit of 0 turns a budget off.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<Budget, RateLimiterAbstract>();
  private readonly limits: Record<Budget, number>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limits = {
      reactions: config.rateLimitReactionsPerMinute,
      authFailures: config.rateLimitAuthFailuresPerMinute,
    };
    for (const budget of Object.keys(this.limits) as Budget[]) {
      if (this.limits[budget] > 0) {
        this.limiters.set(
          budget,
          new RateLimiterMemory({ keyPrefix: budget, points: this.limits[budget], duration: 60 }),
        );
      }
    }
  }

  /** Use a store shared between instances (Redis) instead of this process's memory. */
  replaceLimiter(budget: Budget, factory: (points: number) => RateLimiterAbstract): void {
    if (this.limits[budget] > 0) this.limiters.set(budget, factory(this.limits[budget]));
  }

  /**
   * Takes `points` from the caller's budget; throws RATE_LIMITED (with the headers' values) when
   * the budget is spent. Returns the state for RateLimit-* headers, or null when the budget is off.
   */
  async consume(budget: Budget, ip: string, points = 1): Promise<RateLimitState | null> {
    const limiter = this.limiters.get(budget);
    if (!limiter) return null;
    const limit = this.limits[budget];
    try {
      const res = await limiter.consume(ip, points);
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
}
