import { Injectable } from '@nestjs/common';

/**
 * The application's one source of "now". Everything whose behaviour depends on the time (a
 * scheduled article going live, a cache entry's time to live, a rate-limit window, a webhook's
 * next try) asks this instead of `Date.now()`/`new Date()`, so tests can move time instead of
 * waiting for it (test/support/test-clock.ts). SQL that decides by the time takes it as a
 * parameter rather than PostgreSQL's now(), so the database and the process agree on one clock.
 */
@Injectable()
export class Clock {
  /** Milliseconds since the epoch. */
  now(): number {
    return Date.now();
  }

  /** The same instant as a Date. */
  date(): Date {
    return new Date(this.now());
  }
}

/**
 * lru-cache's time source (its `perf` option) read from the Clock, so a cache's times to live
 * pass when a test moves the clock. Spread into an LRUCache's options.
 */
export function lruClock(clock: Clock) {
  return { perf: { now: () => clock.now() }, ttlResolution: 0 } as const;
}
