import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** Any fixed number: the advisory lock held while one instance runs the start-up writes. */
const STARTUP_LOCK = 0xda7e;

/**
 * Runs the start-up steps that write (migrations, the ADMIN_API_KEY key, demo content) under a
 * PostgreSQL advisory lock, so several instances started at once take turns instead of racing.
 */
export async function underStartupLock<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    await runner.release();
  }
}

export async function migrate(dataSource: DataSource, logger = new Logger('Migrations')): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const m of applied) logger.log(`applied ${m.name}`);
  return applied.map((m) => m.name);
}
