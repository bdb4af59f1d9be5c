/**
 * OWASP API4:2023 (unrestricted resource consumption) and the contract's durability rule: a
 * deploy or an autoscaler sends SIGTERM in the middle of traffic. In-flight requests finish,
 * the process exits within 10 s, and every write that was acknowledged is in the database.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { spawnServer, type SpawnedServer } from '../support/spawned-server';
import { unique } from '../support/test-app';
import { testDatabaseUrl } from '../support/test-database';

describe('SIGTERM during a burst of reactions and an import', () => {
  const adminKey = `dl_test_${randomBytes(24).toString('hex')}`;
  let server: SpawnedServer | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it('finishes what it accepted, exits 0 within 10 s, and keeps every acknowledged write', async () => {
    server = await spawnServer({
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_REACTIONS_PER_MINUTE: '0',
      DB_POOL_SIZE: '4',
      LOG_LEVEL: 'warn',
    });
    const url = server.url;
    const auth = { authorization: `Bearer ${adminKey}` };
    const created = await fetch(`${url}/api/v1/articles`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Shutdown test',
        slug: unique('shutdown'),
        bodyText: 'Text.',
        status: 'published',
      }),
    });
    expect(created.status).toBe(201);
    const article = (await created.json()) as { id: string };

    const batch = unique('sigterm');
    const lines = Array.from({ length: 1500 }, (_, i) =>
      JSON.stringify({ externalId: `${batch}:${i}`, title: `Wire item ${i}`, bodyText: `Paragraph ${i}.` }),
    ).join('\n');

    let acknowledgedReactions = 0;
    let sentReactions = 0;
    let stopped = false;
    const reactor = async () => {
      while (!stopped) {
        sentReactions++;
        try {
          const res = await fetch(`${url}/api/v1/articles/${article.id}/reactions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'veryGood' }),
          });
          if (res.status === 200) acknowledgedReactions++;
          await res.arrayBuffer();
        } catch {
          stopped = true; // connection refused or reset: the server is going away
        }
      }
    };
    const importAnswer = fetch(`${url}/api/v1/imports`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson' },
      body: lines,
    }).then(
      async (res) => ({ status: res.status, body: (await res.json()) as { created?: number } }),
      () => null,
    );
    const reactors = Array.from({ length: 20 }, reactor);
    while (acknowledgedReactions < 50) await new Promise((r) => setTimeout(r, 10));

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const took = Date.now() - signalled;
    stopped = true;
    await Promise.all(reactors);
    const imported = await importAnswer;

    expect(code).toBe(0);
    expect(took).toBeLessThan(10_000);

    const db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    try {
      const [count] = (
        await db.query(`SELECT count FROM article_reactions WHERE article_id = $1 AND type = 'veryGood'`, [
          article.id,
        ])
      ).rows as { count: string }[];
      expect(Number(count.count)).toBeGreaterThanOrEqual(acknowledgedReactions);
      expect(Number(count.count)).toBeLessThanOrEqual(sentReactions);
      const [rows] = (
        await db.query(`SELECT count(*)::int AS n FROM articles WHERE external_id LIKE $1`, [`${batch}:%`])
      ).rows as { n: number }[];
      // The import was in flight when the signal came: it is finished and answered, all of it.
      expect(imported?.status).toBe(200);
      expect(rows.n).toBe(imported?.body.created);
      expect(rows.n).toBe(1500);
    } finally {
      await db.end();
    }
  }, 60_000);
});
