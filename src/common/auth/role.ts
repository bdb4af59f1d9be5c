export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: null for an anonymous reader. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/** admin can do everything an editor can. */
export function hasRole(principal: Principal | null, required: Role): boolean {
  if (!principal) return false;
  return required === 'editor' || principal.role === 'admin';
}

export function isEditor(principal: Principal | null): boolean {
  return hasRole(principal, 'editor');
}
