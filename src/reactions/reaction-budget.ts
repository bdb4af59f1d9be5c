import type { FastifyReply } from 'fastify';
import type { RateLimitService } from '../common/rate-limit/rate-limit.service';
import type { DatelineRequest } from '../common/http/request-context';

/** What a 429 from this budget means, for the OpenAPI document. */
export const REACTION_BUDGET_SPENT =
  "This client's budget of reactions and view beacons (RATE_LIMIT_REACTIONS_PER_MINUTE per IP) is spent.";

/**
 * Takes one from the caller's 'reactions' budget (per IP, shared by reactions and view beacons);
 * throws RATE_LIMITED (429 with Retry-After and RateLimit-*) when it is spent, and otherwise sets
 * the RateLimit-* headers on the answer when there is one to set them on.
 */
export async function spendReactionBudget(
  limits: RateLimitService,
  req: Pick<DatelineRequest, 'ip'>,
  reply?: FastifyReply,
): Promise<void> {
  const state = await limits.consume('reactions', req.ip);
  if (state && reply) {
    reply.header('ratelimit-limit', String(state.limit));
    reply.header('ratelimit-remaining', String(state.remaining));
    reply.header('ratelimit-reset', String(state.resetSeconds));
  }
}
