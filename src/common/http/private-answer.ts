import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const PRIVATE = Symbol('dateline:private-answer');

/**
 * Marks an answer as for its one reader only (a preview of an unpublished story): no cache may
 * keep it and no search engine index it. Works for REST and GraphQL alike, whatever headers the
 * handler or Apollo set.
 */
export function markPrivateAnswer(req: object): void {
  (req as { [PRIVATE]?: boolean })[PRIVATE] = true;
}

export function registerPrivateAnswerHook(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if ((req as { [PRIVATE]?: boolean })[PRIVATE]) {
      void reply.header('cache-control', 'private, no-store');
      void reply.header('x-robots-tag', 'noindex');
      reply.removeHeader('etag');
      reply.removeHeader('surrogate-key');
    }
    done(null, payload);
  });
}
