import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { problemHeaders, toProblem } from '../common/errors/problem';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { OperationNames } from './operation-names';

/** The route label of a request no route matched (never the raw path: that is unbounded). */
export const UNMATCHED_ROUTE = 'unmatched';
export const METRICS_PATH = '/metrics';

/** GraphQL operation names are chosen by clients: which get their own label is OperationNames's call. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const OPERATION_TYPES = ['query', 'mutation', 'subscription', 'unknown'];
const OUTCOMES = ['success', 'error'];

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Prometheus metrics of one application: process metrics, HTTP request durations by route
 * template, GraphQL operations and the database pool. Each application has its own Registry, so
 * several apps in one process (the tests) do not share counters.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly readCacheFills: Counter<'cache'>;
  private readonly operationNames = new OperationNames((name) => this.forgetOperation(name));
  private readonly tokenHash?: Buffer;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly dataSource: DataSource,
  ) {
    if (config.metricsToken) this.tokenHash = sha256(config.metricsToken);
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.graphqlOperations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations, by operation name, type and outcome (success or error).',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.readCacheFills = new Counter({
      name: 'read_cache_fills_total',
      help: 'Public answers composed because the read cache missed (article: an article read from the database; graphql: a GraphQL answer executed). Concurrent misses of one answer compose it once.',
      labelNames: ['cache'],
      registers: [this.registry],
    });
    const pools = () => this.pools();
    new Gauge({
      name: 'db_pool_connections_in_use',
      help: 'Database connections checked out of the pool.',
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        for (const [name, p] of pools()) this.set({ pool: name }, p.totalCount - p.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_connections_idle',
      help: 'Open database connections waiting in the pool.',
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        for (const [name, p] of pools()) this.set({ pool: name }, p.idleCount);
      },
    });
    new Gauge({
      name: 'db_pool_waiting_requests',
      help: 'Queries waiting for a database connection.',
      labelNames: ['pool'],
      registers: [this.registry],
      collect() {
        for (const [name, p] of pools()) this.set({ pool: name }, p.waitingCount);
      },
    });
  }

  onModuleInit(): void {
    // The command line runs the same services without an HTTP server: nothing to observe there.
    if (!this.adapterHost.httpAdapter) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.httpDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
    // A plain Fastify route rather than a controller: its bearer token is not an API key, so it
    // sits outside the API-key guard and checks METRICS_TOKEN itself.
    fastify.get(METRICS_PATH, (request, reply) => this.serve(request, reply));
  }

  recordGraphqlOperation(name: string | null | undefined, type: string | undefined, ok: boolean): void {
    const operation = name && OPERATION_NAME.test(name) ? this.operationNames.labelFor(name) : 'anonymous';
    this.graphqlOperations.inc({ operation, type: type ?? 'unknown', outcome: ok ? 'success' : 'error' });
  }

  recordReadCacheFill(cache: 'article' | 'graphql'): void {
    this.readCacheFills.inc({ cache });
  }

  /** A name lost its label to a more used one: its series go (bounded cardinality). */
  private forgetOperation(operation: string): void {
    for (const type of OPERATION_TYPES)
      for (const outcome of OUTCOMES) this.graphqlOperations.remove({ operation, type, outcome });
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<string | object> {
    if (this.tokenHash && !this.authorised(request.headers.authorization)) {
      const err = new DomainError(
        'UNAUTHENTICATED',
        'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.',
      );
      return reply
        .code(401)
        .headers(problemHeaders(err))
        .header('www-authenticate', 'Bearer')
        .type('application/problem+json')
        .send(toProblem(err));
    }
    void reply.type(this.registry.contentType).header('cache-control', 'no-store');
    return this.registry.metrics();
  }

  private authorised(header: string | undefined): boolean {
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return !!match && !!this.tokenHash && timingSafeEqual(sha256(match[1]), this.tokenHash);
  }

  private pools(): [string, PgPool][] {
    const driver = this.dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
    const out: [string, PgPool][] = [];
    if (driver.master) out.push(['primary', driver.master]);
    (driver.slaves ?? []).forEach((p, i) => out.push([`replica${i + 1}`, p]));
    return out;
  }
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
