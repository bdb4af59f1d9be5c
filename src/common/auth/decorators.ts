import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { requestOf } from '../http/request-context';
import { actorOf, type Actor } from './actor';
import type { Principal, Role } from './role';

export const ACCESS_KEY = 'dateline:access';
export type Access = { kind: 'public' } | { kind: 'role'; role: Role };

/** Anyone may call this; a key, when sent, is still checked and identifies the caller. */
export const Public = () => SetMetadata<string, Access>(ACCESS_KEY, { kind: 'public' });

/** Needs a key with this role or a higher one (contributor < editor < admin). */
export const RequireRole = (role: Role) => SetMetadata<string, Access>(ACCESS_KEY, { kind: 'role', role });

/** The caller's key, or null for an anonymous reader. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | null => requestOf(ctx).principal ?? null,
);

/**
 * The caller as the audit log names it, with the request id. Only on handlers that need a key
 * (the guard has identified it by then).
 */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = requestOf(ctx);
  if (!req.principal) throw new DomainError('UNAUTHENTICATED', 'An API key is required.');
  return actorOf(req.principal, String(req.id));
});
