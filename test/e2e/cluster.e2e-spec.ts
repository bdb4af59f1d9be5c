import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { anArticle, published } from '../support/article-factory';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingEmbeddedDatabase } from '../support/test-database';
import { Receiver, sign, waitFor } from '../support/webhook-receiver';

/**
 * Two instances at once on different ports, sharing one PostgreSQL database and one Redis: they
 * must give the same answers as one. (The lead adds reactions over subscriptions and cache
 * invalidation here once those features are merged.)
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
      trustProxy: true,
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
    const receiver = await new Receiver().start();
    const secret = `s3cret-${randomUUID()}`;
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
        expect(got[0].headers['x-dateline-signature']).toBe(sign(secret, got[0].raw));
      }
      expect(receiver.requests).toHaveLength(articles.length);
    } finally {
      await a.admin.delete(`/api/v1/webhooks/${hook.body.id}`);
      await receiver.close();
    }
  });
});
