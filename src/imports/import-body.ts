import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';

/** The route that takes import bodies (with the global prefix). */
export const IMPORTS_ROUTE = '/api/v1/imports';

/** Body types only the imports route reads; they reach it as the raw request stream. */
export const IMPORT_STREAM_TYPES = [
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/xml',
  'text/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/vnd.iptc.ninjs+json',
];

const isImportRoute = (req: FastifyRequest) =>
  req.routeOptions?.url === IMPORTS_ROUTE && req.method === 'POST';

function unsupported(type: string): Error {
  return Object.assign(new Error(`Unsupported media type ${type}`), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Call before the routes are registered (before app.init()). The imports route gets the body
 * limit IMPORT_MAX_BYTES (its JSON arrays too); its streamed types are handed to it unread, and
 * every other route answers 415 for them as before.
 */
export function registerImportBodies(fastify: FastifyInstance, maxBytes: number): void {
  fastify.addHook('onRoute', (route) => {
    if (route.url === IMPORTS_ROUTE) route.bodyLimit = maxBytes;
  });
  fastify.addContentTypeParser(IMPORT_STREAM_TYPES, (req, payload, done) => {
    if (!isImportRoute(req)) {
      done(unsupported(String(req.headers['content-type'])), undefined);
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      done(tooLarge(maxBytes), undefined);
      return;
    }
    done(null, limitBytes(payload, maxBytes));
  });
  // An import answered before its body was read to the end (refused by the auth guard or the
  // query validation, a 415 on its first bytes, a failure mid-way) leaves the rest unread, and
  // the keep-alive connection would wait for it before the client's next request: read it to the
  // end. Reading rather than closing lets a client still sending get the answer.
  fastify.addHook('onSend', (req, _reply, payload, done) => {
    if (isImportRoute(req) && !req.raw.readableEnded) {
      req.raw.unpipe();
      req.raw.resume();
    }
    done(null, payload);
  });
}

function tooLarge(maxBytes: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `An import body is limited to ${maxBytes} bytes.`);
}

/** The stream, failing with PAYLOAD_TOO_LARGE once more than maxBytes went through. */
export function limitBytes(source: Readable, maxBytes: number): Readable {
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(tooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
  source.on('error', (err) => limited.destroy(err));
  return source.pipe(limited);
}
