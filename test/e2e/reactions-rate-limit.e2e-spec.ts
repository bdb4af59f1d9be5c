import { anArticle, published } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Reactions and views: the per-IP limit', () => {
  describe('with RATE_LIMIT_REACTIONS_PER_MINUTE=5 and TRUST_PROXY=true', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitReactionsPerMinute: 5, trustProxy: true });
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
