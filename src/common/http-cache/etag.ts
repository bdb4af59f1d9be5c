import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ETAG_MARK } from './http-cache.interceptor';

export function strongEtag(payload: string | Buffer): string {
  return `"${createHash('sha1').update(payload).digest('base64url')}"`;
}

/** Whether an If-None-Match header names this ETag (weak or strong). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Gives answers marked by HttpCacheInterceptor a strong ETag over the exact bytes sent, and
 * answers 304 with no body when the client already has them. Register before the app starts.
 */
export function registerEtagHook(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    const marked = (req as unknown as { [ETAG_MARK]?: boolean })[ETAG_MARK];
    if (!marked || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      done(null, payload);
      return;
    }
    const etag = strongEtag(payload);
    void reply.header('etag', etag);
    if (etagMatches(req.headers['if-none-match'], etag)) {
      void reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      done(null, '');
      return;
    }
    done(null, payload);
  });
}
