/**
 * Waits for what the server does in the background (a webhook delivery, a log line, a message
 * on the cluster bus, a cache refresh): polls `probe` until it gives a value other than undefined
 * or false, for at most `ms`. The one polling helper of the suite; a test never sleeps a fixed
 * time, and never waits for a time to come: it moves `t.clock` (test/support/test-clock.ts).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
