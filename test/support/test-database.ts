import { createHash } from 'node:crypto';

/**
 * Each Jest worker gets its own database on the server DATABASE_URL names. The names carry a
 * hash of the checkout's path, so two checkouts on one machine never share one.
 */
export function workerDatabaseName(worker: number | string): string {
  const checkout = createHash('sha1').update(process.cwd()).digest('hex').slice(0, 8);
  return `dateline_test_${checkout}_w${worker}`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The database this worker's tests use. */
export function testDatabaseUrl(): string {
  const server = process.env.DATABASE_URL;
  if (server) return withDatabase(server, workerDatabaseName(process.env.JEST_WORKER_ID ?? '1'));
  const embedded = process.env.DATELINE_EMBEDDED_TEST_URL;
  if (!embedded) throw new Error('the global setup did not start the embedded PostgreSQL');
  return embedded;
}

export const usingEmbeddedDatabase = (): boolean => !process.env.DATABASE_URL;
