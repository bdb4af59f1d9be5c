import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/config';
import { createDataSource } from '../../src/database/data-source';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabase, workerDatabaseName } from './test-database';

declare global {
  var __DATELINE_EMBEDDED__: EmbeddedPostgres | undefined;
}

async function migrateAt(databaseUrl: string): Promise<void> {
  const ds = createDataSource({ ...loadConfig({}), databaseUrl, dbPoolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/** Fresh, migrated databases: one per worker on DATABASE_URL's server, or one embedded. */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    process.stdout.write(
      '\nDATABASE_URL is not set: tests run on the embedded PostgreSQL (PGlite), in band.\n',
    );
    const embedded = await EmbeddedPostgres.start('memory://', 4);
    globalThis.__DATELINE_EMBEDDED__ = embedded;
    process.env.DATELINE_EMBEDDED_TEST_URL = embedded.url;
    await migrateAt(embedded.url);
    return;
  }
  const admin = new Client({ connectionString: server });
  await admin.connect();
  try {
    for (let w = 1; w <= Math.max(1, globalConfig.maxWorkers); w++) {
      const name = workerDatabaseName(w);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
      await migrateAt(withDatabase(server, name));
    }
  } finally {
    await admin.end();
  }
}
