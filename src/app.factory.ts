import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AppModule } from './app.module';
import { DemoSeeder } from './articles/demo/demo-seeder';
import { registerEtagHook } from './common/http-cache/etag';
import type { AppConfig } from './config/config';
import { EmbeddedPostgres } from './database/embedded-postgres';
import { migrate, underStartupLock } from './database/startup';

export const API_PREFIX = 'api/v1';
/** Body limit of every route but /imports (which has IMPORT_MAX_BYTES). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface Dateline {
  app: NestFastifyApplication;
  config: AppConfig;
  /** Closes the app, then the embedded database if this process started one. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Load the demo newsroom when the database has no articles (npm start on the embedded database). */
  seedDemoWhenEmpty?: boolean;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('Dateline')
    .setDescription(
      'A headless CMS for newsrooms. Public reads need no key; writes need `Authorization: Bearer <key>` ' +
        'with the editor or admin role. Errors are application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, options);
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
    const adapter = new FastifyAdapter({
      trustProxy: config.trustProxy,
      bodyLimit: DEFAULT_BODY_LIMIT,
      // A slow client cannot hold a connection open forever.
      requestTimeout: 30_000,
      connectionTimeout: 60_000,
    });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
      bufferLogs: false,
      logger: config.logLevel === 'silent' ? false : ['error', 'warn', 'log'],
    });
    app.setGlobalPrefix(API_PREFIX, {
      exclude: [
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
      ],
    });
    const fastify = app.getHttpAdapter().getInstance();
    registerEtagHook(fastify);
    SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
      jsonDocumentUrl: 'api/docs-json',
    });
    await app.init();
    await fastify.ready();

    const dataSource = app.get(DataSource);
    await underStartupLock(dataSource, async () => {
      await migrate(dataSource);
      if (config.adminApiKey)
        await app.get(ApiKeysService).ensureKey('admin (ADMIN_API_KEY)', 'admin', config.adminApiKey);
      if (options.seedDemoWhenEmpty) {
        await app.get(DemoSeeder).seedIfEmpty();
      }
    });

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
