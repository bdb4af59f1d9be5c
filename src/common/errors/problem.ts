import { ERROR_CATALOG, type DomainError } from './domain-error';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  [extra: string]: unknown;
}

/** RFC 9457 problem document for a domain error. */
export function toProblem(err: DomainError): ProblemDocument {
  const entry = ERROR_CATALOG[err.code];
  const problem: ProblemDocument = {
    type: `https://dateline.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: entry.title,
    status: entry.status,
    detail: err.message,
  };
  if (err.errors?.length) problem.errors = err.errors;
  for (const [k, v] of Object.entries(err.extra ?? {})) {
    if (k !== 'rateLimit') problem[k] = v;
  }
  return problem;
}

/** Headers that go with a problem: Retry-After and RateLimit-* on 429 and 503. */
export function problemHeaders(err: DomainError): Record<string, string> {
  const headers: Record<string, string> = {};
  const retryAfter = err.extra?.retryAfter;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  const rl = err.extra?.rateLimit as { limit: number; remaining: number; resetSeconds: number } | undefined;
  if (rl) {
    headers['ratelimit-limit'] = String(rl.limit);
    headers['ratelimit-remaining'] = String(rl.remaining);
    headers['ratelimit-reset'] = String(rl.resetSeconds);
  }
  return headers;
}
