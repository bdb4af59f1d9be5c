import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditService } from './audit/audit.service';
import { AppModule } from './app.module';
import { systemActor } from './common/auth/actor';
import type { Clock } from './common/clock/clock';
import { answerClientError } from './common/errors/client-error';
import { sendProblem } from './common/errors/problem.filter';
import { limitGraphqlDocumentSize } from './common/graphql/document-size';
import { proxyTrust } from './common/http/client-address';
import { registerJsonBodyParser } from './common/http/json-body';
import { registerPrivateAnswerHook } from './common/http/private-answer';
import { DemoSeeder } from './articles/demo/demo-seeder';
import { ArticleFastPath } from './articles/article-fast-path';
import { registerEtagHook } from './common/http-cache/etag';
import type { AppConfig } from './config/config';
import { buildOpenApiDocument } from './contracts/openapi';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { migrate, underStartupLock } from './database/startup';
import { registerImportBodies } from './imports/import-body';
import { registerMediaBodies } from './media/media-body';
import { requestIdOf } from './observability/logging';
import { GraphqlFastPath } from './read-cache/graphql-fast-path';
import { WebhookDispatcher } from './webhooks/webhook.dispatcher';

export const API_PREFIX = 'api/v1';
/** Body limit of every route but /imports (IMPORT_MAX_BYTES) and /media uploads (MEDIA_MAX_BYTES). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Longest path parameter: a slug is at most 200 characters; longer is 414 (problem+json). */
export const MAX_PARAM_LENGTH = 512;
/** A request (headers and body) must arrive within this, so a slow client cannot hold a socket. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** An idle connection (nothing sent either way) is closed after this long. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 60_000;

export interface Dateline {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Closes the app, then the embedded database if this process started one. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Load the demo newsroom when the database has no articles (npm start on the embedded database). */
  seedDemoWhenEmpty?: boolean;
  /** The time source (tests pass a TestClock to move time instead of waiting); the system clock by default. */
  clock?: Clock;
}

/** Builds the whole application: the server, the CLI's --serve and the tests all start here. */
export async function createApp(baseConfig: AppConfig, options: CreateAppOptions = {}): Promise<Dateline> {
  let config = baseConfig;
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    embedded = await EmbeddedPostgres.start(config.dataDir, config.dbPoolSize);
    config = { ...config, databaseUrl: embedded.url };
  }
  try {
    const frameworkLogger = new Logger('HTTP');
    const requestTimeoutMs = config.httpRequestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const adapter = new FastifyAdapter({
      // TRUST_PROXY: request.ip is the client behind the proxies we were told to believe.
      trustProxy: proxyTrust(config.trustProxy),
      bodyLimit: DEFAULT_BODY_LIMIT,
      // A slow client (slowloris, a body that never ends) cannot hold a connection open forever.
      requestTimeout: requestTimeoutMs,
      // Given to Node's createServer as well: set only afterwards (as Fastify does), Node applies
      // it to headers but not to a body that never ends. Node checks it this often (30 s by
      // default, which would double the timeout).
      http: {
        requestTimeout: requestTimeoutMs,
        connectionsCheckingInterval: Math.max(100, Math.min(2000, Math.floor(requestTimeoutMs / 4))),
      },
      connectionTimeout: config.httpConnectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      // Fastify's defaults, spelled out: a body with __proto__ or constructor.prototype is refused.
      onProtoPoisoning: 'error',
      onConstructorPoisoning: 'error',
      routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
      // Bad URLs and over-long parameters are answered by the router itself: problem+json too.
      frameworkErrors: (err: Error, _req: FastifyRequest, reply: FastifyReply) =>
        sendProblem(frameworkLogger, err, reply),
      // And what Node's HTTP parser refuses before routing (headers over 16 KiB, timeouts).
      clientErrorHandler: answerClientError,
      // On close, keep-alive connections with no request in flight are closed at once.
      forceCloseConnections: 'idle',
      // X-Request-Id from the client when usable, else a UUID (logs, the answer header).
      genReqId: requestIdOf,
      requestIdHeader: false,
    });
    const app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot(config, options.clock),
      adapter,
      {
        bufferLogs: true,
        // Fastify's own JSON parser (secure-json-parse, with the poisoning options above) is the
        // only body parser: Nest's would add application/x-www-form-urlencoded, which no route takes.
        bodyParser: false,
      },
    );
    // Nest's own messages go through pino too (JSON, LOG_LEVEL).
    app.useLogger(app.get(PinoLogger));
    app.setGlobalPrefix(API_PREFIX, {
      exclude: [
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
      ],
    });
    const fastify = app.getHttpAdapter().getInstance();
    limitGraphqlDocumentSize(fastify);
    // JSON routes take JSON: a text/plain body (a cross-site "simple" request) is 415, not parsed.
    fastify.removeContentTypeParser('text/plain');
    // Fastify's JSON parser, with a bound on how deeply a body may nest.
    registerJsonBodyParser(fastify);
    registerEtagHook(fastify);
    registerPrivateAnswerHook(fastify);
    registerImportBodies(fastify, config.importMaxBytes);
    await registerMediaBodies(app, config.media.maxBytes);
    SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'api/docs-json',
    });
    await app.init();
    // After init: its onRequest hook runs after the request-id and route-template hooks.
    app.get(ArticleFastPath).register(fastify, API_PREFIX);
    app.get(GraphqlFastPath).register(fastify, '/graphql');
    await fastify.ready();

    const dataSource = app.get(DataSource);
    await underStartupLock(dataSource, async () => {
      await migrate(dataSource);
      await app.get(AuditService).applyRetention();
      if (config.adminApiKey)
        await app
          .get(ApiKeysService)
          .ensureKey(
            'admin (ADMIN_API_KEY)',
            'admin',
            config.adminApiKey,
            systemActor('ADMIN_API_KEY at start-up'),
          );
      if (options.seedDemoWhenEmpty) {
        await app.get(DemoSeeder).seedIfEmpty();
      }
    });
    // Only now do the outbox tables surely exist; it stops by itself when the app closes.
    app.get(WebhookDispatcher).start();

    return {
      app,
      config,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
