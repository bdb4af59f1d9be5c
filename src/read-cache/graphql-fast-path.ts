import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from '../observability/metrics.service';
import { ArticleCache } from './article-cache';
import { recorderOf, startRecording } from './graphql-answer-cache';

const FILL = Symbol('dateline:graphql-fill');
type Filling = { [FILL]?: () => void };
/** A document that may hold a mutation or subscription (a false alarm only skips single-flight). */
const MUTATION_OR_SUBSCRIPTION = /\b(?:mutation|subscription)\b/;

interface GraphqlBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
}

/**
 * Anonymous GraphQL article pages and article lists answered from the GraphQL answer cache before
 * Nest and Apollo run. Only JSON POSTs are looked up (the GraphQL-over-HTTP form that needs no CSRF check); the
 * key is the whole request as sent, with its Accept header. A miss goes on to Apollo with a
 * recorder, and its answer is kept if the recorder says it may be (see graphqlAnswerPlugin).
 */
@Injectable()
export class GraphqlFastPath {
  constructor(
    private readonly articles: ArticleCache,
    private readonly metrics: MetricsService,
  ) {}

  register(fastify: FastifyInstance, path: string): void {
    const answers = this.articles.graphqlAnswers;

    fastify.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method !== 'POST' || req.routeOptions.url !== path || req.headers.authorization !== undefined)
        return;
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return;
      const body = req.body as GraphqlBody | null;
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string') return;
      if (!this.articles.usable()) return;
      const key = JSON.stringify([
        req.headers.accept ?? '',
        body.query,
        body.operationName ?? null,
        body.variables ?? null,
        body.extensions ?? null,
      ]);
      let hit = answers.get(key);
      // Identical misses at once (a new story's first readers, a crawler and a reader) wait for
      // the first one's answer instead of each composing it.
      // Only queries: identical mutations (a burst of the same reaction) must each run at once.
      const query = !MUTATION_OR_SUBSCRIPTION.test(body.query);
      const running = hit || !query ? undefined : answers.inFlight(key);
      if (running) {
        await running;
        hit = answers.get(key);
      }
      if (hit) {
        this.metrics.recordGraphqlOperation(hit.operationName, 'query', true);
        return reply
          .code(200)
          .header('cache-control', 'no-store')
          .header('content-type', hit.contentType)
          .send(hit.body);
      }
      this.metrics.recordReadCacheFill('graphql');
      startRecording(req, { since: answers.begin(), key, ids: [], cacheable: true });
      if (query && !running) (req as Filling)[FILL] = answers.startFill(key);
    });

    fastify.addHook('onResponse', (req: FastifyRequest, _reply: FastifyReply, done) => {
      (req as Filling)[FILL]?.();
      done();
    });

    fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      const recorder = recorderOf(req);
      const contentType = reply.getHeader('content-type');
      if (
        recorder?.cacheable &&
        recorder.kind &&
        (recorder.kind === 'list' || recorder.ids.length > 0) &&
        reply.statusCode === 200 &&
        typeof payload === 'string' &&
        typeof contentType === 'string' &&
        this.articles.usable()
      ) {
        answers.store(
          recorder.kind,
          recorder.since,
          recorder.key,
          { body: Buffer.from(payload, 'utf8'), contentType, operationName: recorder.operationName },
          recorder.ids,
          recorder.untilMs,
        );
      }
      done(null, payload);
    });
  }
}
