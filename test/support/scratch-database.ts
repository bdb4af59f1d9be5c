import { Client } from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabase, workerDatabaseName } from './test-database';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * An empty database of its own, for tests that need fixed names (the demo newsroom's section
 * slugs) or a database nothing else has written to. On DATABASE_URL's server it is a new
 * database there; on the embedded PostgreSQL, a second in-memory PGlite. The application applies
 * its migrations when it starts on it.
 */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await EmbeddedPostgres.start('memory://', 6);
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `${workerDatabaseName(process.env.JEST_WORKER_ID ?? '1')}_scratch_${Date.now().toString(36)}`;
  const admin = () => new Client({ connectionString: server });
  const create = admin();
  await create.connect();
  try {
    await create.query(`CREATE DATABASE "${name}"`);
  } finally {
    await create.end();
  }
  return {
    url: withDatabase(server, name),
    drop: async () => {
      const c = admin();
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs `fn` on a scratch database, dropped afterwards whatever happens. */
export async function withScratchDatabase<T>(fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  const scratch = await createScratchDatabase();
  try {
    return await fn(scratch.url);
  } finally {
    await scratch.drop();
  }
}
