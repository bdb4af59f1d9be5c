import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { requestOf } from '../http/request-context';
import type { Principal, Role } from './role';

export const ACCESS_KEY = 'dateline:access';
export type Access = { kind: 'public' } | { kind: 'role'; role: Role };

/** Anyone may call this; a key, when sent, is still checked and identifies the caller. */
export const Public = () => SetMetadata<string, Access>(ACCESS_KEY, { kind: 'public' });

/** Needs a key with this role (admin includes editor). */
export const RequireRole = (role: Role) => SetMetadata<string, Access>(ACCESS_KEY, { kind: 'role', role });

/** The caller's key, or null for an anonymous reader. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal | null => requestOf(ctx).principal ?? null,
);
