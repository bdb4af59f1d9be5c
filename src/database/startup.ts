import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

/** Any fixed number: the advisory lock held while one instance runs the start-up writes. */
const STARTUP_LOCK = 0xda7e;

/**
 * Runs the start-up steps that write (migrations, the ADMIN_API_KEY key, demo content) under a
 * PostgreSQL advisory lock, so several instances started at once take turns instead of racing.
 */
export async function underStartupLock<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T> {
  // The lock is held on a connection of its own, outside the pool, so the steps it guards can use
  // every pooled connection (a pool of one included).
  const options = dataSource.options as { url?: string; replication?: { master: { url?: string } } };
  const lockClient = new Client({
    connectionString: options.replication?.master.url ?? options.url,
    application_name: 'dateline-startup',
  });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await fn();
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    await lockClient.end();
  }
}

export async function migrate(dataSource: DataSource, logger = new Logger('Migrations')): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const m of applied) logger.log(`applied ${m.name}`);
  return applied.map((m) => m.name);
}
