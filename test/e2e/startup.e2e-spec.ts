import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { spawnServer, stopServer, waitUntilReady } from '../support/server-process';
import { withDatabase, workerDatabaseName } from '../support/test-database';

const ADMIN_KEY = 'startup-test-admin-key-0123456789abcdef';

describe('Starting Dateline', () => {
  it('with no DATABASE_URL it runs on the embedded PostgreSQL, and the data survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'dateline-embedded-'));
    try {
      const env = { DATA_DIR: dataDir, ADMIN_API_KEY: ADMIN_KEY };
      const first = await spawnServer(env);
      expect(await waitUntilReady(first)).toBeLessThan(60_000);
      const created = await fetch(`${first.url}/api/v1/sections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'kept-across-restarts', name: 'Kept' }),
      });
      expect(created.status).toBe(201);
      expect(await stopServer(first)).toBe(0);

      const second = await spawnServer(env);
      await waitUntilReady(second);
      const read = await fetch(`${second.url}/api/v1/sections/kept-across-restarts`);
      expect(read.status).toBe(200);
      expect(await stopServer(second)).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a bad setting stops start-up with one line naming it, exit code 1', async () => {
    const server = await spawnServer({ PORT: 'abc' });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(server.output()).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['true', /TRUST_PROXY: true would believe every hop.*hop count/],
    ['10.0.0.0/33', /TRUST_PROXY: "10.0.0.0\/33" is not an IP address or CIDR/],
  ])('TRUST_PROXY=%s stops start-up with one line saying what to use instead', async (value, message) => {
    const server = await spawnServer({ TRUST_PROXY: value });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(message)]);
  });

  const itReal = process.env.DATABASE_URL ? it : it.skip;
  if (!process.env.DATABASE_URL) {
    console.log('Skipped "two instances at once": the embedded PostgreSQL serves one process only.');
  }

  itReal('two instances started at the same moment on one empty database both become ready', async () => {
    const server = process.env.DATABASE_URL as string;
    const name = `${workerDatabaseName(process.env.JEST_WORKER_ID ?? '1')}_twins`;
    const admin = new Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const env = { DATABASE_URL: withDatabase(server, name), ADMIN_API_KEY: ADMIN_KEY };
      const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
      try {
        await Promise.all([waitUntilReady(a), waitUntilReady(b)]);
        const keys = await fetch(`${b.url}/api/v1/api-keys`, {
          headers: { authorization: `Bearer ${ADMIN_KEY}` },
        });
        expect(keys.status).toBe(200);
        // The ADMIN_API_KEY key exists once, not once per instance.
        const body = (await keys.json()) as { data: unknown[] };
        expect(body.data).toHaveLength(1);
      } finally {
        await Promise.all([stopServer(a), stopServer(b)]);
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
