import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/role';

/** What Dateline keeps on a request while it is answered. */
export interface DatelineRequest extends FastifyRequest {
  /** undefined: not looked at yet; null: anonymous. */
  principal?: Principal | null;
}

/** The HTTP request behind a REST handler or a GraphQL resolver. */
export function requestOf(ctx: ExecutionContext): DatelineRequest {
  if (ctx.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(ctx).getContext<{ req: DatelineRequest }>().req;
  }
  return ctx.switchToHttp().getRequest<DatelineRequest>();
}
