import { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one DataSource definition, used by the server, the CLI and the tests. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  if (!config.databaseUrl) throw new Error('databaseUrl must be resolved before the database is opened');
  const extra = {
    max: config.dbPoolSize,
    // Waiting for a pooled connection (or for a new one) gives up after this: a full pool or an
    // unreachable database answers 503 instead of hanging.
    connectionTimeoutMillis: config.dbAcquireTimeoutMs,
    statement_timeout: config.dbStatementTimeoutMs || undefined,
    // A client-side bound as well, for a connection whose server stopped answering altogether.
    query_timeout: config.dbStatementTimeoutMs ? config.dbStatementTimeoutMs + 1000 : undefined,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'dateline',
  };
  const base = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto' as const,
    extra,
    logging: false,
  };
  if (config.replicaUrls.length > 0) {
    return {
      ...base,
      replication: {
        master: { url: config.databaseUrl },
        slaves: config.replicaUrls.map((url) => ({ url })),
        // Reads go to a replica only where a repository asks for one (public reads).
        defaultMode: 'master',
      },
    };
  }
  return { ...base, url: config.databaseUrl };
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}
