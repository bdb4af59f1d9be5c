import { createClient, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { anArticle, published } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';

type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** One GraphQL operation over graphql-ws, with these headers on the upgrade request. */
async function overWebSocket(
  t: TestApp,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown>,
  connectionParams?: Record<string, unknown>,
): Promise<Result> {
  class WithHeaders extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const client = createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WithHeaders,
    connectionParams,
    retryAttempts: 0,
  });
  try {
    return await new Promise<Result>((resolve, reject) => {
      let result: Result | undefined;
      client.subscribe(
        { query, variables },
        {
          next: (r) => (result = r),
          error: reject,
          complete: () => (result ? resolve(result) : reject(new Error('no result'))),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

const REACT = `mutation($a: ID!) { react(articleId: $a, type: "veryGood") { count } }`;
const FOLLOW = `subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }`;

describe('Reactions and views: the per-IP limit', () => {
  describe('with RATE_LIMIT_REACTIONS_PER_MINUTE=5 and TRUST_PROXY=1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 5, trustProxy: 1 });
    });
    afterAll(() => t.close());

    it('reactions and views share one budget; the next is 429 with Retry-After and RateLimit-*', async () => {
      const a = await anArticle(t, published());
      const ip = { 'x-forwarded-for': '203.0.113.7' };
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' }, ip);
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBe('5');
        remaining.push(res.headers.get('ratelimit-remaining'));
      }
      const view = await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, {}, ip);
      expect(view.status).toBe(202);
      remaining.push(view.headers.get('ratelimit-remaining'));
      const withdraw = await t.anonymous.request(
        'DELETE',
        `/api/v1/articles/${a.slug}/reactions/veryGood?clientId=c`,
        undefined,
        ip,
      );
      expect(withdraw.status).toBe(200);
      remaining.push(withdraw.headers.get('ratelimit-remaining'));
      expect(remaining).toEqual(['4', '3', '2', '1', '0']);

      const refused = await t.anonymous.post(
        `/api/v1/articles/${a.slug}/reactions`,
        { type: 'veryGood' },
        ip,
      );
      expectProblem(refused, 429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('ratelimit-limit')).toBe('5');
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      expectProblem(await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, {}, ip), 429);

      // Another address has its own budget; the refused reactions did not count.
      const other = await t.anonymous.post(
        `/api/v1/articles/${a.slug}/reactions`,
        { type: 'veryGood' },
        { 'x-forwarded-for': '203.0.113.8' },
      );
      expect(other.status).toBe(200);
      expect(other.body.count).toBe(4);
      // Reads are not limited.
      expect((await t.anonymous.get(`/api/v1/articles/${a.slug}/reactions`, ip)).status).toBe(200);
    });

    it('a GraphQL request with many aliased react fields spends one per field', async () => {
      const a = await anArticle(t, published());
      const fields = Array.from(
        { length: 8 },
        (_, i) => `r${i}: react(articleId: $a, type: "veryGood") { count }`,
      );
      const res = await t.anonymous.request(
        'POST',
        '/graphql',
        { query: `mutation($a: ID!) { ${fields.join(' ')} }`, variables: { a: a.id } },
        { 'x-forwarded-for': '203.0.113.20' },
      );
      // Mutations run one after the other: five spend the budget, the sixth is refused, and since
      // react is non-null the refusal ends the request.
      const body = res.body as { data: unknown; errors: { path: string[]; extensions: { code: string } }[] };
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['r5'],
          extensions: expect.objectContaining({ code: 'RATE_LIMITED' }),
        }),
      ]);
      expect((await t.anonymous.get(`/api/v1/articles/${a.slug}/reactions`)).body.reactions[0].count).toBe(5);
    });
    it('a client writing its own left-most X-Forwarded-For entry does not escape the budget', async () => {
      const a = await anArticle(t, published());
      // The proxy in front (this test's connection, 127.0.0.1 as seen from the server) appends
      // the real client address; the entries before it are whatever the client sent.
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const spoofed = { 'x-forwarded-for': `203.0.113.${100 + i}, 127.0.0.1` };
        const res =
          i % 2
            ? await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, {}, spoofed)
            : await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' }, spoofed);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 202, 200, 202, 200, 429, 429, 429]);
      const gql = await t.anonymous.request(
        'POST',
        '/graphql',
        { query: REACT, variables: { a: a.id } },
        { 'x-forwarded-for': '203.0.113.200, 127.0.0.1' },
      );
      expect(gql.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });
  });

  describe('over graphql-ws, with RATE_LIMIT_AUTH_FAILURES_PER_MINUTE=3 and TRUST_PROXY=1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitAuthFailuresPerMinute: 3, trustProxy: 1 });
    });
    afterAll(() => t.close());

    // The socket carries subscriptions only (a reaction is a mutation, over HTTP), so the budget a
    // WebSocket operation can spend is the bad-key one: it must be the same client address's.
    it('a WebSocket operation spends the bad-key budget of the same client address as HTTP', async () => {
      const a = await anArticle(t, published());
      const client = '198.51.100.61';
      const bad = { authorization: 'Bearer dl_not_a_key' };
      for (let i = 0; i < 2; i++) {
        const res = await t.anonymous.get('/api/v1/sections', {
          ...bad,
          'x-forwarded-for': `203.0.113.${i}, ${client}`,
        });
        expect(res.status).toBe(401);
      }
      const codes: unknown[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await overWebSocket(
          t,
          { 'x-forwarded-for': `192.0.2.${i}, ${client}` },
          FOLLOW,
          { a: a.id },
          bad,
        );
        codes.push(res.errors?.[0]?.extensions?.code);
      }
      expect(codes).toEqual(['UNAUTHENTICATED', 'RATE_LIMITED']);
      // Another client address still has its whole budget, over WebSocket too.
      const other = await overWebSocket(t, { 'x-forwarded-for': '198.51.100.62' }, FOLLOW, { a: a.id }, bad);
      expect(other.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('with TRUST_PROXY=127.0.0.1,10.0.0.0/8 (the proxies by address)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 3, trustProxy: ['127.0.0.1', '10.0.0.0/8'] });
    });
    afterAll(() => t.close());

    const react = (slug: string, xff: string) =>
      t.anonymous.post(
        `/api/v1/articles/${slug}/reactions`,
        { type: 'veryGood' },
        { 'x-forwarded-for': xff },
      );

    it('the client is the nearest address that is not a listed proxy, whatever the client wrote before it', async () => {
      const a = await anArticle(t, published());
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await react(a.slug, `203.0.113.${i}, 198.51.100.70`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Through an inner proxy (10.1.2.3, listed) the same client is still the same client.
      expectProblem(await react(a.slug, '203.0.113.9, 198.51.100.70, 10.1.2.3'), 429);
      // Another client has its own budget, also when it came through the inner proxy.
      expect((await react(a.slug, '198.51.100.71, 10.1.2.3')).status).toBe(200);
      expect((await react(a.slug, '198.51.100.71')).status).toBe(200);
    });
  });

  describe('with TRUST_PROXY listing addresses the connection does not come from', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 2, trustProxy: ['10.0.0.0/8'] });
    });
    afterAll(() => t.close());

    it('X-Forwarded-For is not read: the connection is the client', async () => {
      const a = await anArticle(t, published());
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.anonymous.post(
          `/api/v1/articles/${a.slug}/reactions`,
          { type: 'veryGood' },
          { 'x-forwarded-for': `198.51.100.${i}` },
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe('without TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 2, trustProxy: false });
    });
    afterAll(() => t.close());

    it('X-Forwarded-For is not read: a new address in it does not give a new budget', async () => {
      const a = await anArticle(t, published());
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t.anonymous.post(
          `/api/v1/articles/${a.slug}/reactions`,
          { type: 'veryGood' },
          { 'x-forwarded-for': `198.51.100.${i}` },
        );
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe('with RATE_LIMIT_REACTIONS_PER_MINUTE=0', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 0 });
    });
    afterAll(() => t.close());

    it('there is no limit and no RateLimit headers', async () => {
      const a = await anArticle(t, published());
      const answers = await Promise.all(
        Array.from({ length: 200 }, () =>
          t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
      expect(answers[0].headers.get('ratelimit-limit')).toBeNull();
      expect((await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, {})).status).toBe(202);
    });
  });
});
