/**
 * Budgets for the expensive public reads. Source: OWASP API4:2023 Unrestricted Resource
 * Consumption (a client may not search or query without bound; a refusal says when to come back,
 * RFC 6585 429 with Retry-After, and the RateLimit-* fields of the IETF draft).
 * RATE_LIMIT_SEARCHES_PER_MINUTE counts full-text searches (REST `q`, GraphQL
 * `articles(filter: { q })`), RATE_LIMIT_GRAPHQL_COST_PER_MINUTE the cost of GraphQL operations,
 * per client address; answers from the read caches and requests with an API key are not counted.
 */
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { parse } from 'graphql';
import { measureOperation } from '../../src/common/graphql/cost-limit';
import { loadConfig } from '../../src/config/config';
import { anArticle, published } from '../support/article-factory';
import { expectProblem, type HttpAnswer } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** A client address of its own for each use, so no test spends another's budget. */
let lastOctet = 0;
const aClient = () => ({ 'x-forwarded-for': `203.0.113.${++lastOctet}` });

const search = (t: TestApp, q: string, client: Record<string, string>) =>
  t.anonymous.get(`/api/v1/articles?q=${encodeURIComponent(q)}&limit=5`, client);

const gql = (t: TestApp, query: string, client: Record<string, string>, variables?: object) =>
  t.anonymous.request('POST', '/graphql', { query, variables }, client);

function expectRateLimitHeaders(res: HttpAnswer, limit: number): void {
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
}

function expectGraphqlRateLimited(res: HttpAnswer, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toEqual([
    expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
  ]);
  expect(res.body.errors[0].extensions.retryAfter).toBeGreaterThan(0);
  expectRateLimitHeaders(res, limit);
}

describe('Read budgets: full-text searches and GraphQL cost per client', () => {
  it('the settings default to 60 searches and a cost of 50,000 a minute', () => {
    const config = loadConfig({});
    expect(config.rateLimitSearchesPerMinute).toBe(60);
    expect(config.rateLimitGraphqlCostPerMinute).toBe(50_000);
    expect(() => loadConfig({ RATE_LIMIT_SEARCHES_PER_MINUTE: 'many' })).toThrow(
      /^Invalid setting RATE_LIMIT_SEARCHES_PER_MINUTE: /,
    );
    expect(() => loadConfig({ RATE_LIMIT_GRAPHQL_COST_PER_MINUTE: '-1' })).toThrow(
      /^Invalid setting RATE_LIMIT_GRAPHQL_COST_PER_MINUTE: /,
    );
  });

  describe('with RATE_LIMIT_SEARCHES_PER_MINUTE=2 (and TRUST_PROXY=true)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitSearchesPerMinute: 2, trustProxy: 1 });
      await anArticle(t, published({ title: 'Harbour storm ferry news' }));
    });
    afterAll(() => t.close());

    it('REST: the third search in a minute is 429 problem+json with Retry-After and RateLimit-*', async () => {
      const client = aClient();
      expect((await search(t, unique('harbour'), client)).status).toBe(200);
      // Lists without a full-text q are not searches.
      expect((await t.anonymous.get('/api/v1/articles?limit=5', client)).status).toBe(200);
      expect((await t.anonymous.get('/api/v1/articles?q=%20%20&limit=5', client)).status).toBe(200);
      expect((await search(t, unique('storm'), client)).status).toBe(200);

      const refused = await search(t, unique('ferry'), client);
      expectProblem(refused, 429);
      expectRateLimitHeaders(refused, 2);
      expect(refused.headers.get('cache-control')).toBe('no-store');
      // Still no limit on what is not a search, nor for another client.
      expect((await t.anonymous.get('/api/v1/articles?limit=5', client)).status).toBe(200);
      expect((await search(t, unique('ferry'), aClient())).status).toBe(200);
    });

    it('REST: a search answered from the read cache costs nothing', async () => {
      const client = aClient();
      const q = unique('harbour');
      // Six at once: one reads the list, the others are answered with what it read.
      const answers = await Promise.all(Array.from({ length: 6 }, () => search(t, q, client)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect((await search(t, unique('storm'), client)).status).toBe(200);
      expectProblem(await search(t, unique('ferry'), client), 429);
    });

    it('GraphQL: each articles(filter: { q }) field is a search; over budget the operation is 429 RATE_LIMITED', async () => {
      const client = aClient();
      const two = await gql(
        t,
        `query($a: String, $b: String) {
          first: articles(filter: { q: $a }, first: 1) { totalCount }
          second: articles(filter: { q: $b }, first: 1) { totalCount }
          blank: articles(filter: { q: "   " }, first: 1) { totalCount }
          skipped: articles(filter: { q: "storm" }, first: 1) @skip(if: true) { totalCount }
          latest: articles(first: 1) { totalCount }
        }`,
        client,
        { a: unique('harbour'), b: unique('storm') },
      );
      expect(two.status).toBe(200);
      expect(two.body.errors).toBeUndefined();
      expect(two.headers.get('ratelimit-limit')).toBe('2');
      expect(two.headers.get('ratelimit-remaining')).toBe('0');

      const refused = await gql(t, `{ articles(filter: { q: "ferry" }, first: 1) { totalCount } }`, client);
      expectGraphqlRateLimited(refused, 2);
      // What searches nothing still runs.
      const latest = await gql(t, `{ articles(first: 1) { totalCount } }`, client);
      expect(latest.status).toBe(200);
      expect(latest.body.data.articles.totalCount).toBeGreaterThan(0);
    });

    it('REST and GraphQL spend one budget', async () => {
      const client = aClient();
      expect((await search(t, unique('harbour'), client)).status).toBe(200);
      const gqlSearch = await gql(t, `{ articles(filter: { q: "storm" }, first: 1) { totalCount } }`, client);
      expect(gqlSearch.status).toBe(200);
      expectProblem(await search(t, unique('ferry'), client), 429);
    });

    it('editors and admins with a key are not limited', async () => {
      const client = aClient();
      expect((await search(t, unique('x'), client)).status).toBe(200);
      expect((await search(t, unique('x'), client)).status).toBe(200);
      expectProblem(await search(t, unique('x'), client), 429);
      for (let i = 0; i < 4; i++) {
        const res = await t.editor.get(`/api/v1/articles?q=${unique('harbour')}`, client);
        expect(res.status).toBe(200);
      }
      const gqlSearch = await t.admin.request(
        'POST',
        '/graphql',
        { query: `{ articles(filter: { q: "storm" }) { totalCount } }` },
        client,
      );
      expect(gqlSearch.status).toBe(200);
      expect(gqlSearch.headers.get('ratelimit-limit')).toBeNull();
    });
  });

  describe('with RATE_LIMIT_GRAPHQL_COST_PER_MINUTE=100', () => {
    const LIMIT = 100;
    const SECTIONS = `{ sections { slug } }`;
    const PAGE = `query Page($slug: String!) { article(slug: $slug) { id title tags { slug } } }`;
    let t: TestApp;
    const costOf = (query: string) =>
      measureOperation(t.dateline.app.get(GraphQLSchemaHost).schema, parse(query), { slug: 'x' }).cost;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitGraphqlCostPerMinute: LIMIT, trustProxy: 1 });
    });
    afterAll(() => t.close());

    it('each operation spends its cost; the one that does not fit is 429 and costs nothing', async () => {
      const client = aClient();
      const cost = costOf(SECTIONS);
      expect(cost).toBeGreaterThan(1);
      const fits = Math.floor(LIMIT / cost);
      for (let i = 1; i <= fits; i++) {
        const res = await gql(t, SECTIONS, client);
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-remaining')).toBe(String(LIMIT - i * cost));
      }
      expectGraphqlRateLimited(await gql(t, SECTIONS, client), LIMIT);
      // The refused operation took nothing: a cheaper one still fits in what is left.
      const cheap = await gql(t, `{ __typename }`, client);
      expect(cheap.status).toBe(200);
      expect(cheap.headers.get('ratelimit-remaining')).toBe(String(LIMIT - fits * cost - 1));
      // Over GET too.
      const get = await t.anonymous.get(`/graphql?query=${encodeURIComponent(SECTIONS)}`, {
        ...client,
        'apollo-require-preflight': 'true',
      });
      expect(get.status).toBe(429);
    });

    it('an answer from the GraphQL answer cache costs nothing', async () => {
      const a = await anArticle(t, published());
      const client = aClient();
      const first = await gql(t, PAGE, client, { slug: a.slug });
      expect(first.body.data.article.id).toBe(a.id);
      expect(first.headers.get('ratelimit-remaining')).toBe(String(LIMIT - costOf(PAGE)));
      for (let i = 0; i < 5; i++) {
        const kept = await gql(t, PAGE, client, { slug: a.slug });
        expect(kept.body.data.article.id).toBe(a.id);
        expect(kept.headers.get('ratelimit-limit')).toBeNull();
      }
      const next = await gql(t, SECTIONS, client);
      expect(next.headers.get('ratelimit-remaining')).toBe(String(LIMIT - costOf(PAGE) - costOf(SECTIONS)));
    });

    it('a request with an API key is not counted', async () => {
      const client = aClient();
      for (let i = 0; i < 2 * Math.ceil(LIMIT / costOf(SECTIONS)); i++) {
        const res = await t.editor.request('POST', '/graphql', { query: SECTIONS }, client);
        expect(res.status).toBe(200);
      }
      expect((await gql(t, SECTIONS, client)).headers.get('ratelimit-remaining')).toBe(
        String(LIMIT - costOf(SECTIONS)),
      );
    });
  });

  describe('with both set to 0', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitSearchesPerMinute: 0, rateLimitGraphqlCostPerMinute: 0 });
    });
    afterAll(() => t.close());

    it('nothing is limited and no answer carries RateLimit-*', async () => {
      const client = aClient();
      for (let i = 0; i < 70; i++) {
        const res = await search(t, unique('q'), client);
        expect(res.status).toBe(200);
      }
      for (let i = 0; i < 5; i++) {
        const res = await gql(
          t,
          `{ articles(filter: { q: "${unique('q')}" }, first: 100) { edges { node { id } } } }`,
          client,
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
      }
    });
  });
});
