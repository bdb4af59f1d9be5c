import { retryDelayMs } from '../../src/webhooks/retry-delay';

describe('retryDelayMs', () => {
  it('doubles with each attempt, between half and all of the exponential value', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, 60_000, () => 1)).toBe(2000);
    expect(retryDelayMs(4, 1000, 60_000, () => 0.5)).toBe(6000);
  });

  it('is capped at the maximum, also for very many attempts', () => {
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(2000, 1000, 60_000, () => 0)).toBe(30_000);
  });
});
