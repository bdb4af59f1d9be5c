import { DomainError } from '../errors/domain-error';

/** Lowest first: each role can do everything the roles before it can. */
export const ROLES = ['contributor', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: null for an anonymous reader. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/**
 * admin can do everything an editor can, and an editor everything a contributor can (write
 * drafts and working copies; never publish, schedule, delete or import).
 */
export function hasRole(principal: Principal | null, required: Role): boolean {
  if (!principal) return false;
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(required);
}

export function isEditor(principal: Principal | null): boolean {
  return hasRole(principal, 'editor');
}

/** Any key: the newsroom's own people, who read drafts (contributors write them). */
export function isStaff(principal: Principal | null): boolean {
  return hasRole(principal, 'contributor');
}

/**
 * The gate's role check, for what the gate cannot see: a GraphQL field that only some callers
 * may read (guards run per operation, not per field). The same errors as AuthGuard: no key is
 * UNAUTHENTICATED (401 in REST), a key without the role FORBIDDEN (403).
 */
export function requireRole(principal: Principal | null, role: Role): Principal {
  if (!principal)
    throw new DomainError('UNAUTHENTICATED', 'An API key is required: send Authorization: Bearer <key>.');
  if (!hasRole(principal, role)) throw new DomainError('FORBIDDEN', `This operation needs the ${role} role.`);
  return principal;
}
