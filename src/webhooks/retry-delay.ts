/**
 * How long to wait before the next try after `attempt` failed tries: exponential backoff
 * (base · 2^(attempt-1), at most max) with "equal jitter", so receivers that failed together
 * are not all retried in the same instant.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
