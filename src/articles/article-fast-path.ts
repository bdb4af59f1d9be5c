import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches } from '../common/http-cache/etag';
import { PUBLIC_CACHE_CONTROL } from '../common/http-cache/http-cache.interceptor';
import { parseIdOrSlug, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import { ArticleReader } from './article-reader.service';
import { ListCache } from '../read-cache/list-cache';

const LIST_MARK = Symbol('dateline:list-cache');
const FILL_MARK = Symbol('dateline:list-fill');

interface Marked {
  [LIST_MARK]?: number;
  [FILL_MARK]?: () => void;
}

/**
 * The public's hottest reads answered from the read cache before Nest's pipeline runs: an
 * anonymous GET of one article (filled from the database on a miss), and an anonymous GET of a
 * list already cached. Everything else (editors, a missing article, bad input, a list not yet
 * cached) goes on to the controller, which gives the same answers with the same headers. An
 * error here also goes on, so the controller answers it as usual.
 */
@Injectable()
export class ArticleFastPath {
  private readonly logger = new Logger(ArticleFastPath.name);

  constructor(
    private readonly reader: ArticleReader,
    private readonly lists: ListCache,
  ) {}

  register(fastify: FastifyInstance, prefix: string): void {
    const articleRoute = `/${prefix}/articles/:idOrSlug`;
    const listRoute = `/${prefix}/articles`;

    fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method !== 'GET' || req.headers.authorization !== undefined) return;
      const route = req.routeOptions.url;
      if (route === articleRoute) {
        const key = this.keyOf(req);
        if (!key) return;
        try {
          const entry = await this.reader.publicEntry(key);
          if (!entry) return;
          const answer = await this.reader.cache.compose(entry);
          return this.send(req, reply, answer.body, answer.etag, answer.surrogateKey);
        } catch (err) {
          this.logger.warn(`read cache: ${(err as Error).message}; answering without it`);
          return;
        }
      }
      if (route === listRoute) {
        let list = this.lists.get(req.url);
        const running = list ? undefined : this.lists.inFlight(req.url);
        if (running) {
          await running;
          list = this.lists.get(req.url);
        }
        if (list) return this.send(req, reply, list.body, list.etag, list.surrogateKey);
        (req as Marked)[LIST_MARK] = this.lists.begin();
        if (!running) (req as Marked)[FILL_MARK] = this.lists.startFill(req.url);
      }
    });

    fastify.addHook('onResponse', (req: FastifyRequest, _reply: FastifyReply, done) => {
      (req as Marked)[FILL_MARK]?.();
      done();
    });

    // A list the controller just answered to the public is kept for the next reads.
    fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      const since = (req as Marked)[LIST_MARK];
      if (since !== undefined && reply.statusCode === 200 && typeof payload === 'string') {
        const cacheControl = reply.getHeader('cache-control');
        if (cacheControl === PUBLIC_CACHE_CONTROL) {
          const surrogate = reply.getHeader('surrogate-key');
          this.lists.storeList(
            since,
            req.url,
            payload,
            typeof surrogate === 'string' ? surrogate : undefined,
          );
        }
      }
      done(null, payload);
    });
  }

  private keyOf(req: FastifyRequest): IdOrSlug | null {
    try {
      return parseIdOrSlug((req.params as { idOrSlug?: string }).idOrSlug ?? '');
    } catch {
      return null;
    }
  }

  private send(
    req: FastifyRequest,
    reply: FastifyReply,
    body: string | Buffer,
    etag: string,
    surrogateKey: string | undefined,
  ): FastifyReply {
    void reply.header('cache-control', PUBLIC_CACHE_CONTROL);
    if (surrogateKey) void reply.header('surrogate-key', surrogateKey);
    void reply.header('etag', etag);
    if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
