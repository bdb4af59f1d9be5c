import { randomBytes } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { spawnServer, type SpawnedServer } from '../support/spawned-server';
import { unique } from '../support/test-app';

/**
 * The durability rule: a reaction is answered only after it is committed. Kill the server with
 * SIGKILL in the middle of a burst and start it again: acknowledged ≤ count ≤ sent.
 */
describe('Reactions across the life of the server process', () => {
  const adminKey = `dl_test_${randomBytes(24).toString('hex')}`;
  const env = {
    ADMIN_API_KEY: adminKey,
    RATE_LIMIT_REACTIONS_PER_MINUTE: '0',
    DB_POOL_SIZE: '4',
    LOG_LEVEL: 'warn',
  };
  let server: SpawnedServer | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  async function publishedArticle(url: string): Promise<{ id: string; slug: string }> {
    const created = await fetch(`${url}/api/v1/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Crash test',
        slug: unique('crash'),
        bodyText: 'Text.',
        status: 'published',
      }),
    });
    expect(created.status).toBe(201);
    return (await created.json()) as { id: string; slug: string };
  }

  it('acknowledged ≤ count ≤ sent, with the count read after a restart', async () => {
    server = await spawnServer(env);
    const article = await publishedArticle(server.url);

    let sent = 0;
    let acknowledged = 0;
    let killed = false;
    const url = `${server.url}/api/v1/articles/${article.slug}/reactions`;
    const client = async (n: number) => {
      for (let i = 0; !killed; i++) {
        // Half the readers send a client id (each new, so each counts), half none.
        const body = n % 2 ? { type: 'veryGood', clientId: `r${n}-${i}` } : { type: 'veryGood' };
        sent++;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.status !== 200) throw new Error(`answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
          if (!killed) acknowledged++;
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const child = server.child;
    const burst = Promise.all(Array.from({ length: 40 }, (_, n) => client(n)));
    // Mid-burst: once a few hundred are acknowledged, with many more in flight.
    while (acknowledged < 300) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    const acknowledgedBeforeKill = acknowledged;
    child.kill('SIGKILL');
    await burst;
    await server.exited;

    server = await spawnServer(env);
    const res = await fetch(`${server.url}/api/v1/articles/${article.id}/reactions`);
    const { reactions } = (await res.json()) as { reactions: { type: string; count: number }[] };
    const count = reactions.find((r) => r.type === 'veryGood')?.count ?? -1;
    console.log(`SIGKILL test: sent ${sent}, acknowledged ${acknowledgedBeforeKill}, counted ${count}`);
    expect(count).toBeGreaterThanOrEqual(acknowledgedBeforeKill);
    expect(count).toBeLessThanOrEqual(sent);
  }, 180_000);

  it('an open subscription does not hold up a graceful shutdown: SIGTERM ends it and the server exits 0', async () => {
    server = await spawnServer(env);
    const live = server;
    const article = await publishedArticle(live.url);
    const client = createClient({
      url: `${live.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const seen: number[] = [];
    let ended = false;
    client.subscribe<{ reactionsChanged: { count: number } }>(
      {
        query: `subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }`,
        variables: { a: article.id },
      },
      {
        next: (m) => void (m.data && seen.push(m.data.reactionsChanged.count)),
        error: () => (ended = true),
        complete: () => (ended = true),
      },
    );
    while (!seen.length) {
      await fetch(`${live.url}/api/v1/articles/${article.slug}/reactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"veryGood"}',
      });
      await new Promise((r) => setTimeout(r, 50));
    }
    live.child.kill('SIGTERM');
    expect(await live.exited).toBe(0);
    while (!ended) await new Promise((r) => setTimeout(r, 20));
    await client.dispose();
  }, 120_000);
});
