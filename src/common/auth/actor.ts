import type { Principal, Role } from './role';

/**
 * Who made a change, as the audit log records it, and the request it came with. `key` is an API
 * key; `user` a signed-in person (when users come); `system` the command line or the server
 * itself (scheduled work, start-up), which have no key.
 */
export interface Actor {
  type: 'key' | 'user' | 'system';
  id: string | null;
  name: string;
  role: Role | null;
  /** The request's id (X-Request-Id), or null outside HTTP. */
  requestId: string | null;
}

export function actorOf(principal: Principal, requestId: string | null): Actor {
  return { type: 'key', id: principal.keyId, name: principal.name, role: principal.role, requestId };
}

/** The command line and the server's own work. */
export function systemActor(name: string): Actor {
  return { type: 'system', id: null, name, role: null, requestId: null };
}
