import type { Principal } from './role';

/**
 * Turns a presented bearer key into who holds it, or null when it is not a live key. The guard
 * here needs one; the feature that stores keys (api-keys) provides it under KEY_VERIFIER, so
 * `common` never imports a feature.
 */
export interface KeyVerifier {
  authenticate(presented: string): Promise<Principal | null>;
}

export const KEY_VERIFIER = Symbol('KEY_VERIFIER');
