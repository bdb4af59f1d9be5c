import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DomainError } from '../common/errors/domain-error';
import { literalAddressProblem, parseWebhookUrl, publicOnlyLookup } from '../webhooks/private-address';

export interface FetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** MEDIA_FETCH_ALLOW_PRIVATE_URLS: loopback, private and link-local addresses may be reached. */
  allowPrivate: boolean;
}

const MAX_REDIRECTS = 3;

const badUrl = (message: string) => DomainError.validation([{ path: 'url', message }]);
const failed = (message: string) => new DomainError('MEDIA_FETCH_FAILED', message);

/**
 * Fetches a remote image under the webhook rules against server-side request forgery: http or
 * https only, and unless private addresses are allowed, no connection to a loopback, private,
 * link-local or metadata address, checked on the addresses the name resolves to when connecting
 * (so a DNS answer that changes in between is caught), again for each redirect. The body is cut
 * off past maxBytes and the whole fetch past the timeout.
 */
export async function fetchRemoteImage(raw: string, options: FetchOptions): Promise<Buffer> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  let url = parseWebhookUrl(raw);
  if (!url || !url.hostname) throw badUrl('must be an http or https URL');
  for (let hop = 0; ; hop++) {
    if (!options.allowPrivate) {
      const problem = literalAddressProblem(url);
      if (problem) throw badUrl(`must not point at a private, loopback or link-local address (${problem})`);
    }
    const answer = await get(url, options, deadline);
    const status = answer.statusCode ?? 0;
    if (status >= 300 && status < 400 && answer.headers.location) {
      answer.resume();
      if (hop >= MAX_REDIRECTS) throw failed(`The image URL redirected more than ${MAX_REDIRECTS} times.`);
      const next = parseWebhookUrl(new URL(answer.headers.location, url).href);
      if (!next) throw failed('The image URL redirected to something that is not an http or https URL.');
      url = next;
      continue;
    }
    if (status !== 200) {
      answer.resume();
      throw failed(`The image URL answered ${status}.`);
    }
    return readBody(answer, options.maxBytes, options.timeoutMs);
  }
}

function get(url: URL, options: FetchOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      headers: {
        accept: 'image/avif,image/webp,image/png,image/jpeg,image/gif',
        'user-agent': 'Dateline-Media/1',
      },
      // A fresh connection each time: nothing pooled skips the address check.
      agent: false,
      lookup: options.allowPrivate ? undefined : publicOnlyLookup,
      signal,
    });
    req.on('response', resolve);
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPRIVATEADDRESS')
        reject(badUrl('must not resolve to a private, loopback or link-local address'));
      else if (err.name === 'AbortError' || err.name === 'TimeoutError')
        reject(failed(`The image URL did not answer within ${options.timeoutMs} ms.`));
      else if (err.code === 'ENOTFOUND') reject(failed(`The host ${url.hostname} could not be resolved.`));
      else reject(failed(`The image URL could not be reached (${err.code ?? 'connection failed'}).`));
    });
    req.end();
  });
}

function readBody(answer: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const declared = Number(answer.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    answer.destroy();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    answer.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) {
        answer.destroy();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    answer.on('end', () => resolve(Buffer.concat(chunks)));
    answer.on('error', (err) =>
      reject(
        err.name === 'AbortError' || err.name === 'TimeoutError'
          ? failed(`The image did not arrive within ${timeoutMs} ms.`)
          : failed('The image URL closed the connection before the whole image arrived.'),
      ),
    );
  });
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `An image is limited to ${maxBytes} bytes.`);
}
