import { Clock } from '../../src/common/clock/clock';

/**
 * A Clock that tests move. It runs with the system clock until a test moves it: `advance` jumps
 * ahead (and keeps running from there), `set` stops it at an instant, `advance` then moves the
 * stopped clock. startTestApp installs one in every test server (`t.clock`), so a test waits for
 * no schedule or time to live: it moves the clock past it and triggers the work.
 */
export class TestClock extends Clock {
  private stoppedAt: number | undefined;
  private offsetMs = 0;

  override now(): number {
    return this.stoppedAt ?? Date.now() + this.offsetMs;
  }

  /** Stops the clock at this instant. */
  set(at: number | Date | string): this {
    this.stoppedAt = typeof at === 'number' ? at : new Date(at).getTime();
    return this;
  }

  /** Moves the clock ahead by ms (stopped or running). */
  advance(ms: number): this {
    if (this.stoppedAt === undefined) this.offsetMs += ms;
    else this.stoppedAt += ms;
    return this;
  }

  /** Moves the clock to just past `at` (a schedule, an expiry), unless it is there already. */
  passTo(at: number | Date | string, byMs = 1): this {
    const target = (typeof at === 'number' ? at : new Date(at).getTime()) + byMs;
    const now = this.now();
    return now < target ? this.advance(target - now) : this;
  }

  /** Back to the system clock. */
  reset(): this {
    this.stoppedAt = undefined;
    this.offsetMs = 0;
    return this;
  }
}
