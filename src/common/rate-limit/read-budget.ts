import type { FastifyRequest } from 'fastify';
import type { RateLimitService, RateLimitState } from './rate-limit.service';

/**
 * Budgets for the expensive public reads: full-text searches (RATE_LIMIT_SEARCHES_PER_MINUTE)
 * and GraphQL cost (RATE_LIMIT_GRAPHQL_COST_PER_MINUTE). Both transports spend through here.
 *
 * Who pays: the client's address (request.ip, which follows TRUST_PROXY). A request that carries
 * an API key is not counted: keys belong to the newsroom's own staff and tools (every key is an
 * editor or admin key, made by an admin, named in the logs and revocable), their answers are
 * never cached, and a desk or a sync job searches far more than a reader, as in Strapi or
 * Directus, which do not limit signed-in editors either. A key that is not valid is refused
 * (401, or UNAUTHENTICATED on every GraphQL field) before any read, and spends the bad-key budget.
 * Answers from the read caches never reach these checks, so they cost nothing.
 */

/** The client a public read is counted against, or null when it is not counted (a key was sent). */
export function readClientOf(req: Pick<FastifyRequest, 'headers' | 'ip'>): string | null {
  return req.headers.authorization === undefined ? req.ip : null;
}

/** True when `q` asks for a full-text search: a string with something besides spaces. */
export function isFullTextQuery(q: unknown): boolean {
  return typeof q === 'string' && q.trim() !== '';
}

/** RateLimit-* headers of a budget's state. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-limit': String(state.limit),
    'ratelimit-remaining': String(state.remaining),
    'ratelimit-reset': String(state.resetSeconds),
  };
}

/**
 * Spends what one public read costs (`searches` full-text searches, GraphQL `cost`) from the
 * client's budgets, all or nothing; throws RATE_LIMITED (429 with Retry-After and RateLimit-*)
 * when one is spent. Returns the state for RateLimit-* headers, or null when nothing was counted.
 */
export function spendPublicRead(
  limits: RateLimitService,
  req: Pick<FastifyRequest, 'headers' | 'ip'>,
  spend: { searches?: number; cost?: number },
): Promise<RateLimitState | null> {
  const client = readClientOf(req);
  if (client === null) return Promise.resolve(null);
  return limits.consumeAll(client, [
    ['searches', spend.searches ?? 0],
    ['graphqlCost', spend.cost ?? 0],
  ]);
}
