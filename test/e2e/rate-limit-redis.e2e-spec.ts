import { randomInt } from 'node:crypto';
import { RateLimitService } from '../../src/common/rate-limit/rate-limit.service';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { usingEmbeddedDatabase } from '../support/test-database';

describe('Rate limits with REDIS_URL set but Redis unreachable', () => {
  it('each instance falls back to its own in-memory budget: still limited, never refusing everyone', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const t = await startTestApp({ redisUrl: 'redis://127.0.0.1:1', rateLimitAuthFailuresPerMinute: 2 });
    try {
      expect(t.dateline.app.get(RateLimitService).shared).toBe(true);
      const attempt = () =>
        new HttpClient(t.url).get('/api/v1/sections', {
          authorization: 'Bearer dl_0000000000000000_not-a-real-secret-at-all',
        });
      expectProblem(await attempt(), 401);
      expectProblem(await attempt(), 401);
      expectProblem(await attempt(), 429);
      expect((await t.editor.get('/api/v1/sections')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const skipShared = usingEmbeddedDatabase()
  ? 'the embedded database has a single session, two instances need a real PostgreSQL'
  : !redisUrl
    ? 'TEST_REDIS_URL is not set (.ci/run sets it)'
    : null;
if (skipShared) console.log(`Skipped the shared read budgets test: ${skipShared}.`);

(skipShared ? describe.skip : describe)('Read budgets shared through Redis by two instances', () => {
  const LIMIT = 1000;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const settings = {
      redisUrl,
      trustProxy: 1,
      rateLimitSearchesPerMinute: 2,
      rateLimitGraphqlCostPerMinute: LIMIT,
    };
    a = await startTestApp(settings);
    b = await startTestApp(settings);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  // An address of its own on every run: Redis keeps the budgets of earlier runs for a minute.
  const aClient = () => ({
    'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`,
  });

  it('one search on each instance spends the budget of both', async () => {
    const client = aClient();
    const search = (t: TestApp) => t.anonymous.get(`/api/v1/articles?q=${unique('harbour')}`, client);
    expect((await search(a)).status).toBe(200);
    expect((await search(b)).status).toBe(200);
    expectProblem(await search(a), 429);
    const refused = await search(b);
    expectProblem(refused, 429);
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('GraphQL cost spent on one instance is gone on the other', async () => {
    const client = aClient();
    const query = { query: '{ sections { slug } }' };
    const first = await a.anonymous.request('POST', '/graphql', query, client);
    const spent = LIMIT - Number(first.headers.get('ratelimit-remaining'));
    expect(spent).toBeGreaterThan(0);
    const second = await b.anonymous.request('POST', '/graphql', query, client);
    expect(second.headers.get('ratelimit-remaining')).toBe(String(LIMIT - 2 * spent));
  });
});
