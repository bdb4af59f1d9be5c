import { DynamicModule, Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/config';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin';
import { loggerParams, type RoutedRequest } from './logging';
import { MetricsService, UNMATCHED_ROUTE } from './metrics.service';

/** Logs (pino) and metrics (Prometheus at /metrics). */
@Global()
@Module({})
export class ObservabilityModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot(loggerParams(config))],
      providers: [MetricsService, GraphqlMetricsPlugin],
      exports: [MetricsService],
    };
  }

  /** Every answer carries its request id; the route template is kept for the request's log line. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      void reply.header('x-request-id', request.id);
      (request.raw as RoutedRequest).routeTemplate = request.routeOptions.url ?? UNMATCHED_ROUTE;
      done();
    });
  }
}
