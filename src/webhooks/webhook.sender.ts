import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { literalAddressProblem, parseWebhookUrl, publicOnlyLookup } from './private-address';
import { sign, signingKey } from './webhook-signature';

export interface OutgoingDelivery {
  url: string;
  secret: string;
  /** The `webhook-id`: the same on every try and on every redelivery of one message. */
  messageId: string;
  event: string;
  /** The exact bytes sent and signed. */
  body: Buffer;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

const MAX_ERROR_LENGTH = 500;

function describe(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  return String(e?.message ?? err).slice(0, MAX_ERROR_LENGTH);
}

/**
 * One delivery attempt: a JSON POST, signed per Standard Webhooks with the time of this try, with
 * a timeout; redirects are not followed (a 3xx
 * is a failed attempt) and, unless private targets are allowed, the connection is only made to
 * public addresses, checked after DNS resolution.
 */
export function sendWebhook(delivery: OutgoingDelivery, options: SendOptions): Promise<AttemptOutcome> {
  const url = parseWebhookUrl(delivery.url);
  if (!url) return Promise.resolve({ ok: false, statusCode: null, error: 'not an http or https URL' });
  if (!options.allowPrivate) {
    const problem = literalAddressProblem(url);
    if (problem) return Promise.resolve({ ok: false, statusCode: null, error: problem });
  }
  const key = signingKey(delivery.secret);
  // Only a row written past the API can hold another form (the API and the migration make whsec_).
  if (!key)
    return Promise.resolve({ ok: false, statusCode: null, error: 'the secret is not a whsec_ secret' });
  // The receiver refuses a timestamp more than 5 minutes off: each try, retries included, is
  // stamped and signed when it is sent.
  const timestamp = Math.floor(Date.now() / 1000);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptOutcome>((resolve) => {
    const req = request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(delivery.body.length),
        'user-agent': 'Dateline-Webhooks/1',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': sign(key, delivery.messageId, timestamp, delivery.body),
        'x-dateline-event': delivery.event,
      },
      // A fresh connection each time: nothing pooled outlives the attempt or skips the lookup.
      agent: false,
      lookup: options.allowPrivate ? undefined : publicOnlyLookup,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    req.on('response', (res: IncomingMessage) => {
      const statusCode = res.statusCode ?? 0;
      // The answer's body is not needed; read and drop it so the connection can close.
      res.on('error', () => undefined);
      res.resume();
      const ok = statusCode >= 200 && statusCode < 300;
      resolve({
        ok,
        statusCode,
        error: ok
          ? null
          : statusCode >= 300 && statusCode < 400
            ? `the receiver answered ${statusCode}; redirects are not followed`
            : `the receiver answered ${statusCode}`,
      });
    });
    req.on('error', (err) =>
      resolve({ ok: false, statusCode: null, error: describe(err, options.timeoutMs) }),
    );
    req.end(delivery.body);
  });
}
