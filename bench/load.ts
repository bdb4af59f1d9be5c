import autocannon, { type Request } from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p97_5: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** 2xx answers received. */
  ok: number;
  total: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead (warm-ups: every slug once). */
  amount?: number;
  /** Called for each request; returns the request to send (path, method, body, headers). */
  next: () => {
    path: string;
    method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    body?: string;
    headers?: Record<string, string>;
  };
}

/** Drives a server with autocannon and keeps the numbers the reports need. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    ...(opts.amount !== undefined ? { amount: opts.amount } : { duration: opts.durationSeconds }),
    requests: [
      {
        setupRequest: (req: Request): Request => {
          const r = opts.next();
          return {
            ...req,
            method: r.method ?? 'GET',
            path: r.path,
            body: r.body,
            headers: { ...(r.headers ?? {}) },
          };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    ok: result['2xx'],
    total: result.requests.total,
  };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface LatencyResult {
  p50: number;
  p95: number;
  p99: number;
  count: number;
  failures: number;
}

/**
 * Latency of single requests at low concurrency, timed one by one: what a reader waits for a
 * list, as opposed to what the server sustains under load.
 */
export async function latency(
  baseUrl: string,
  paths: () => string,
  count: number,
  concurrency = 4,
  init: RequestInit = {},
): Promise<LatencyResult> {
  const times: number[] = [];
  let failures = 0;
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const started = performance.now();
      const res = await fetch(`${baseUrl}${paths()}`, init);
      await res.arrayBuffer();
      times.push(performance.now() - started);
      if (res.status >= 400) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const s = times.sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), count: s.length, failures };
}
