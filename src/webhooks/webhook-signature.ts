import { createHmac } from 'node:crypto';

/**
 * Signing per the Standard Webhooks specification (https://www.standardwebhooks.com): a secret is
 * `whsec_` followed by the base64 of the key bytes, and each try carries
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`.
 */
export const SECRET_PREFIX = 'whsec_';

/** The key sizes the specification asks for (192 to 512 bits). */
export const MIN_KEY_BYTES = 24;
export const MAX_KEY_BYTES = 64;

/**
 * Standard base64 with its padding: what the receivers' libraries decode (the reference
 * `standardwebhooks` package refuses a missing padding and the URL-safe alphabet).
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key a secret stands for, or null when it is not a `whsec_` secret. */
export function signingKey(secret: string): Buffer | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) return null;
  return Buffer.from(encoded, 'base64');
}

/** Why a secret cannot be given to a new webhook, or null when it can. */
export function secretProblem(secret: string): string | null {
  const key = signingKey(secret);
  if (!key || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES)
    return `must be ${SECRET_PREFIX} followed by the base64 of ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} random bytes`;
  return null;
}

/** The `webhook-signature` value for one try. */
export function sign(key: Buffer, messageId: string, timestamp: number, body: Buffer): string {
  const mac = createHmac('sha256', key).update(`${messageId}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}
