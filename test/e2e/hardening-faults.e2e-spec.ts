/**
 * Faults: the database unreachable and back, a pooled connection killed by the server, a full
 * pool, a slow statement, and slow clients. Sources: OWASP API4:2023 Unrestricted Resource
 * Consumption (pool and request timeouts, slowloris), and the outage reports of the CMSs we
 * compared (Ghost and Directus instances that hung or crashed on "Connection terminated
 * unexpectedly" until restarted). Faults are played through a TCP relay or a lock held by the
 * test, never by stopping the shared PostgreSQL server.
 */
import { connect } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { expectProblem } from '../support/http-client';
import { TcpRelay } from '../support/tcp-relay';
import { testDatabaseUrl, usingEmbeddedDatabase } from '../support/test-database';
import { startTestApp, type TestApp } from '../support/test-app';

const embedded = usingEmbeddedDatabase();
const itReal = embedded ? it.skip : it;
if (embedded) {
  console.log(
    'hardening-faults: the database fault tests need a real PostgreSQL server (a second connection, ' +
      'pg_terminate_backend, locks held from another session); skipped on the embedded database.',
  );
}

/** Polls until `check` is true or `ms` pass; returns whether it became true. */
async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** "Not hanging": a generous bound, far above the settings under test and far below a hang. */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - start };
}

async function withAdmin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: testDatabaseUrl(), application_name: 'dateline-test-admin' });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe('Hardening: database faults', () => {
  describe('through a TCP relay', () => {
    let relay: TcpRelay;
    let t: TestApp;
    beforeAll(async () => {
      if (embedded) return;
      relay = await TcpRelay.start(testDatabaseUrl());
      t = await startTestApp({ databaseUrl: relay.url, dbAcquireTimeoutMs: 1000, nodeEnv: 'production' });
    });
    afterAll(async () => {
      if (embedded) return;
      await t.close();
      await relay.close();
    });

    itReal(
      'network cut: readiness 503, liveness 200, reads 503 problem+json quickly; restored without a restart',
      async () => {
        expect((await t.anonymous.get('/api/v1/sections')).status).toBe(200);
        relay.cut();
        try {
          expect(
            await eventually(async () => (await t.anonymous.get('/health/ready')).status === 503, 5000),
          ).toBe(true);
          expect((await t.anonymous.get('/health/live')).status).toBe(200);
          const { value: down, ms } = await timed(() => t.admin.get('/api/v1/api-keys'));
          expectProblem(down, 503);
          expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(ms).toBeLessThan(5000);
          const gql = await t.editor.graphql(
            'mutation { createSection(input: { slug: "cut", name: "Cut" }) { slug } }',
          );
          expect(gql.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
        } finally {
          relay.restore();
        }
        expect(
          await eventually(async () => (await t.anonymous.get('/health/ready')).status === 200, 10_000),
        ).toBe(true);
        expect((await t.anonymous.get('/api/v1/sections')).status).toBe(200);
      },
    );

    itReal('every connection reset at once: the next requests get new connections and succeed', async () => {
      expect((await t.anonymous.get('/api/v1/sections')).status).toBe(200);
      relay.resetAll();
      expect(
        await eventually(async () => (await t.anonymous.get('/api/v1/sections')).status === 200, 5000),
      ).toBe(true);
      expect((await t.editor.get('/api/v1/api-keys')).status).toBe(403);
    });
  });

  itReal(
    'a database that stops answering: requests end in 503 after the query timeout, then recover',
    async () => {
      const relay = await TcpRelay.start(testDatabaseUrl());
      // statement_timeout 300 ms; the client-side read timeout (300 + 1000 ms) covers a server
      // whose answers do not arrive at all.
      const t = await startTestApp({
        databaseUrl: relay.url,
        dbStatementTimeoutMs: 300,
        nodeEnv: 'production',
      });
      try {
        expect((await t.admin.get('/api/v1/api-keys')).status).toBe(200);
        relay.delay(2500);
        const { value: res, ms } = await timed(() => t.admin.get('/api/v1/api-keys'));
        expectProblem(res, 503);
        expect(ms).toBeLessThan(5000);
        relay.restore();
        expect(
          await eventually(async () => (await t.admin.get('/api/v1/api-keys')).status === 200, 10_000),
        ).toBe(true);
      } finally {
        await t.close();
        await relay.close();
      }
    },
  );

  itReal(
    'an idle pooled connection terminated by the server: the process survives and the next request succeeds',
    async () => {
      const t = await startTestApp();
      try {
        // Warm the pool with a few connections, then let them go idle.
        await Promise.all([1, 2, 3].map(() => t.anonymous.get('/api/v1/sections')));
        const killed = await withAdmin(async (c) => {
          const res = await c.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity
            WHERE application_name = 'dateline' AND datname = current_database() AND pid <> pg_backend_pid()
              AND state = 'idle'`,
          );
          for (const { pid } of res.rows) await c.query('SELECT pg_terminate_backend($1)', [pid]);
          // Wait until the server has really closed them.
          await eventually(
            async () =>
              (
                await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1)', [
                  res.rows.map((r) => r.pid),
                ])
              ).rows[0].n === 0,
            5000,
          );
          return res.rows.length;
        });
        expect(killed).toBeGreaterThan(0);
        const next = await t.anonymous.get('/api/v1/sections');
        expect(next.status).toBe(200);
        expect(
          (await t.editor.post('/api/v1/sections', { slug: `after-kill-${Date.now()}`, name: 'K' })).status,
        ).toBe(201);
      } finally {
        await t.close();
      }
    },
  );

  itReal(
    'the pool exhausted by slow queries: a request answers 503 with Retry-After after the acquire timeout',
    async () => {
      // A pool of 2 (a pool of 1 cannot start: the start-up lock holds one connection while the
      // migrations need another), both connections held by slow queries in open transactions.
      const t = await startTestApp({ dbPoolSize: 2, dbAcquireTimeoutMs: 300, nodeEnv: 'production' });
      try {
        const ds = t.dateline.app.get(DataSource);
        const runners = [ds.createQueryRunner(), ds.createQueryRunner()];
        for (const r of runners) {
          await r.connect();
          await r.startTransaction();
        }
        const sleeping = runners.map((r) => r.query('SELECT pg_sleep(3)'));
        try {
          const { value: res, ms } = await timed(() => t.admin.get('/api/v1/api-keys'));
          expectProblem(res, 503);
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(ms).toBeLessThan(2500);
        } finally {
          await Promise.all(sleeping);
          for (const r of runners) {
            await r.rollbackTransaction();
            await r.release();
          }
        }
        expect((await t.admin.get('/api/v1/api-keys')).status).toBe(200);
      } finally {
        await t.close();
      }
    },
  );

  itReal(
    'statement_timeout applies: a query stuck behind a lock is cancelled and answered 503, not left hanging',
    async () => {
      const t = await startTestApp({ dbStatementTimeoutMs: 300, nodeEnv: 'production' });
      const locker = new Client({
        connectionString: testDatabaseUrl(),
        application_name: 'dateline-test-locker',
      });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE sections IN ACCESS EXCLUSIVE MODE');
        const { value: res, ms } = await timed(() => t.anonymous.get('/api/v1/sections'));
        expectProblem(res, 503);
        expect(ms).toBeLessThan(4000);
        await locker.query('ROLLBACK');
        expect((await t.anonymous.get('/api/v1/sections')).status).toBe(200);
      } finally {
        await locker.end();
        await t.close();
      }
    },
  );
});

describe('Hardening: slow clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ httpRequestTimeoutMs: 1000 });
  });
  afterAll(() => t.close());

  /** Sends `head`, never finishes, and reports what the server answered when it closed. */
  function stall(head: string): Promise<{ answer: string; closed: boolean }> {
    const { port } = new URL(t.url);
    return new Promise((resolve) => {
      const socket = connect(Number(port), '127.0.0.1');
      let answer = '';
      const giveUp = setTimeout(() => {
        socket.destroy();
        resolve({ answer, closed: false });
      }, 15_000);
      socket.on('data', (d) => (answer += d.toString()));
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve({ answer, closed: true });
      });
      socket.on('error', () => undefined);
      socket.write(head);
    });
  }

  it('a body that never finishes is cut off with 408', async () => {
    const res = await stall(
      'POST /api/v1/sections HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"slug":',
    );
    expect(res.closed).toBe(true);
    expect(res.answer).toMatch(/^HTTP\/1\.1 408/);
    // A problem document, as every error answer.
    expect(res.answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(res.answer.slice(res.answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408 });
  });

  it('headers that never finish are cut off too', async () => {
    const res = await stall('GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    expect(res.closed).toBe(true);
    expect(res.answer === '' || /^HTTP\/1\.1 408/.test(res.answer)).toBe(true);
  });
});
