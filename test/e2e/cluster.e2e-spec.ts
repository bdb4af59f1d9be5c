import { randomInt } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { anArticle, published } from '../support/article-factory';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingEmbeddedDatabase } from '../support/test-database';
import { Receiver, newSecret } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

/**
 * Two instances at once on different ports, sharing one PostgreSQL database and one Redis: they
 * must give the same answers as one.
 */
const redisUrl = process.env.TEST_REDIS_URL;
const skipReason = usingEmbeddedDatabase()
  ? 'the embedded database has a single session, two instances need a real PostgreSQL'
  : !redisUrl
    ? 'TEST_REDIS_URL is not set (.ci/run sets it)'
    : null;
if (skipReason) console.log(`Skipped the cluster test: ${skipReason}.`);
const describeCluster = skipReason ? describe.skip : describe;

const AUTH_BUDGET = 4;

describeCluster('Two instances sharing PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const settings = {
      redisUrl,
      trustProxy: 1,
      rateLimitAuthFailuresPerMinute: AUTH_BUDGET,
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 50,
    };
    a = await startTestApp(settings);
    b = await startTestApp(settings);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a reaction on A is seen by a GraphQL subscriber on B', async () => {
    const article = await anArticle(a, published());
    const client = createClient({
      url: `${b.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const seen: number[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ reactionsChanged: { count: number } }>(
      {
        query: `subscription($a: ID!) { reactionsChanged(articleId: $a) { articleId type count } }`,
        variables: { a: article.id },
      },
      {
        next: (m) => {
          if (m.data) seen.push(m.data.reactionsChanged.count);
        },
        error: (err) => errors.push(err),
        complete: () => undefined,
      },
    );
    try {
      // The subscription is live once B's bus listens; react until B's subscriber hears about it.
      let sent = 0;
      await waitFor('the subscriber on B to see a reaction made on A', async () => {
        const res = await a.anonymous.post(`/api/v1/articles/${article.id}/reactions`, { type: 'veryGood' });
        expect(res.status).toBe(200);
        sent = res.body.count;
        await new Promise((r) => setTimeout(r, 100));
        return seen.length > 0 ? true : undefined;
      });
      expect(errors).toEqual([]);
      expect(seen[seen.length - 1]).toBeLessThanOrEqual(sent);
      const last = await a.anonymous.post(`/api/v1/articles/${article.id}/reactions`, { type: 'veryGood' });
      await waitFor('the last count on B', () =>
        Promise.resolve(seen.includes(last.body.count) ? true : undefined),
      );
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('an edit on A is served by B within a second', async () => {
    const article = await anArticle(a, published({ title: 'Before the edit' }));
    // B reads it first, so B's read cache holds the old version.
    expect((await b.anonymous.get(`/api/v1/articles/${article.id}`)).body.title).toBe('Before the edit');
    const edited = await a.editor.patch(`/api/v1/articles/${article.id}`, { title: 'After the edit' });
    expect(edited.status).toBe(200);
    const acknowledged = Date.now();
    let title = '';
    while (Date.now() - acknowledged < 1000) {
      title = (await b.anonymous.get(`/api/v1/articles/${article.id}`)).body.title;
      if (title === 'After the edit') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(title).toBe('After the edit');
    const gql = await b.anonymous.graphql(`query($id: ID!) { article(id: $id) { title } }`, {
      id: article.id,
    });
    expect(gql.data.article.title).toBe('After the edit');
  });

  it('the bad-key budget counts across both instances', async () => {
    // A client address of its own, so reruns within the minute start from a full budget.
    const ip = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
    const attempt = (t: TestApp) =>
      new HttpClient(t.url).get('/api/v1/sections', {
        authorization: 'Bearer dl_0000000000000000_not-a-real-secret-at-all',
        'x-forwarded-for': ip,
      });
    for (let i = 0; i < AUTH_BUDGET; i++) expectProblem(await attempt(i % 2 ? b : a), 401);
    // Each instance saw only half the budget; together they spent it.
    expectProblem(await attempt(a), 429);
    expectProblem(await attempt(b), 429);
    expect((await b.editor.get('/api/v1/sections')).status).toBe(200);
  });

  it('one webhook delivery per event with both dispatchers running', async () => {
    const secret = newSecret();
    const receiver = await new Receiver(undefined, secret).start();
    const hook = await a.admin.post('/api/v1/webhooks', {
      url: receiver.url,
      events: ['article.published', 'article.updated'],
      secret,
    });
    expect(hook.status).toBe(201);
    try {
      const articles: { id: string }[] = [];
      for (let i = 0; i < 5; i++) articles.push(await anArticle(i % 2 ? b : a, published()));
      const db = a.dateline.app.get(DataSource);
      await waitFor('every delivery to finish', async () => {
        const [row] = await db.query(
          `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS done,
                  count(*) FILTER (WHERE status <> 'succeeded')::int AS open
             FROM webhook_deliveries WHERE webhook_id = $1`,
          [hook.body.id],
        );
        return row.done === articles.length && row.open === 0;
      });
      for (const article of articles) {
        const got = receiver.about(article.id);
        expect(got.map((g) => g.body.event)).toEqual(['article.published']);
        expect(got[0].verification).toBe('verified');
      }
      expect(receiver.requests).toHaveLength(articles.length);
    } finally {
      await a.admin.delete(`/api/v1/webhooks/${hook.body.id}`);
      await receiver.close();
    }
  });
});
