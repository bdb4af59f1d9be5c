import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_DOCUMENT_BYTES } from './limits';

/** The one test both transports apply to a GraphQL document's length. */
export function documentTooLarge(query: unknown): boolean {
  return typeof query === 'string' && Buffer.byteLength(query, 'utf8') > MAX_DOCUMENT_BYTES;
}

/** What a client is told when its document is over the limit (HTTP 413, or over graphql-ws). */
export const DOCUMENT_TOO_LARGE_MESSAGE = `The GraphQL document is larger than ${MAX_DOCUMENT_BYTES} bytes; use a persisted query.`;

function documentOf(req: FastifyRequest): unknown {
  if (req.method === 'GET') return (req.query as Record<string, unknown> | undefined)?.query;
  const body = req.body as Record<string, unknown> | unknown[] | undefined;
  return body && !Array.isArray(body) && typeof body === 'object' ? body.query : undefined;
}

/**
 * Refuses GraphQL documents longer than MAX_DOCUMENT_BYTES with 413, before Apollo parses them,
 * for POST bodies and GET query strings alike. The answer is a GraphQL error document so that
 * GraphQL clients can read it. (graphql-ws applies the same test to each subscribe message.)
 */
export function limitGraphqlDocumentSize(fastify: FastifyInstance, path = '/graphql'): void {
  fastify.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.routeOptions.url !== path) return done();
    if (documentTooLarge(documentOf(req))) {
      void reply
        .status(413)
        .header('cache-control', 'no-store')
        .type('application/json; charset=utf-8')
        .send(
          JSON.stringify({
            errors: [{ message: DOCUMENT_TOO_LARGE_MESSAGE, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
          }),
        );
      return;
    }
    done();
  });
}
