/**
 * GraphQL hardening. Sources: OWASP API4:2023 Unrestricted Resource Consumption (depth, aliases,
 * cost, document size, batching, page size), OWASP API8:2023 Security Misconfiguration
 * (introspection and field suggestions in production, CSRF, verbose errors), the GraphQL over
 * HTTP specification (media types, GET for queries only) and Apollo Server's own defaults
 * (csrfPrevention, allowBatchedHttpRequests, automatic persisted queries).
 */
import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DataSource } from 'typeorm';
import { formatGraphqlError } from '../../src/common/graphql/format-error';
import { MAX_ALIASES, MAX_DEPTH, MAX_DOCUMENT_BYTES } from '../../src/common/graphql/limits';
import { anArticle, published } from '../support/article-factory';
import { expectNoLeak } from '../support/no-leak';
import { startTestApp, unique, type TestApp } from '../support/test-app';

async function raw(
  t: TestApp,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string; key?: string },
): Promise<{ status: number; type: string; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  const res = await fetch(`${t.url}${init.path ?? '/graphql'}`, {
    method: init.method ?? 'POST',
    headers,
    body: init.body,
  });
  const text = await res.text();
  expectNoLeak(text);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body, headers: res.headers };
}

const json = { 'content-type': 'application/json' };
const codeOf = (body: any): unknown => body?.errors?.[0]?.extensions?.code;

function nested(depth: number, leaf = 'slug'): string {
  let s = leaf;
  for (let i = 0; i < depth; i++) s = `children { ${s} }`;
  return s;
}

describe('Hardening: GraphQL over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const sectionExists = async (slug: string) =>
    (await t.anonymous.get(`/api/v1/sections/${slug}`)).status === 200;

  it('answers application/graphql-response+json when the client accepts it, else application/json', async () => {
    const body = JSON.stringify({ query: '{ sections { slug } }' });
    const modern = await raw(t, {
      headers: { ...json, accept: 'application/graphql-response+json, application/json;q=0.9' },
      body,
    });
    expect({ status: modern.status, type: modern.type }).toEqual({
      status: 200,
      type: expect.stringContaining('application/graphql-response+json'),
    });
    const legacy = await raw(t, { headers: { ...json, accept: 'application/json' }, body });
    expect({ status: legacy.status, type: legacy.type }).toEqual({
      status: 200,
      type: expect.stringContaining('application/json'),
    });
  });

  it('serves queries over GET (with a preflight header) and refuses a mutation over GET with 405', async () => {
    const q = encodeURIComponent('{ sections { slug } }');
    const get = await raw(t, {
      method: 'GET',
      path: `/graphql?query=${q}`,
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(get.status).toBe(200);
    expect(Array.isArray(get.body.data.sections)).toBe(true);

    const slug = unique('get-mutation');
    const m = encodeURIComponent(
      `mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`,
    );
    const refused = await raw(t, {
      method: 'GET',
      path: `/graphql?query=${m}`,
      headers: { 'apollo-require-preflight': '1' },
      key: t.editorKey,
    });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('allow')).toBe('POST');
    expect(await sectionExists(slug)).toBe(false);
  });

  it('refuses a subscription over HTTP (it is served over WebSocket): BAD_USER_INPUT by POST, 405 by GET', async () => {
    const query = 'subscription { reactionsChanged(articleId: "harbour-reopens") { count } }';
    const post = await raw(t, { headers: json, body: JSON.stringify({ query }) });
    expect(post.status).toBe(400);
    expect(post.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('WebSocket'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    // Over GET, as a mutation: only queries are served by GET.
    const get = await raw(t, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(query)}`,
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(get.status).toBe(405);
  });

  it('CSRF prevention: a GET or a simple-content-type POST without a preflight header is 400', async () => {
    const q = encodeURIComponent('{ sections { slug } }');
    expect((await raw(t, { method: 'GET', path: `/graphql?query=${q}` })).status).toBe(400);

    const slug = unique('csrf');
    const form = await raw(t, {
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({
        query: `mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`,
      }),
      key: t.editorKey,
    });
    // Refused before Apollo sees it: JSON routes take no text/plain (415); Apollo's own CSRF
    // check would answer 400.
    expect([400, 415]).toContain(form.status);
    const urlencoded = await raw(t, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(`mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`)}`,
      key: t.editorKey,
    });
    expect([400, 415]).toContain(urlencoded.status);
    expect(await sectionExists(slug)).toBe(false);
  });

  it('refuses a batched array with 400 and runs none of it', async () => {
    const slug = unique('batch');
    const res = await raw(t, {
      headers: json,
      key: t.editorKey,
      body: JSON.stringify([
        { query: `mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }` },
        { query: '{ sections { slug } }' },
      ]),
    });
    expect(res.status).toBe(400);
    expect(await sectionExists(slug)).toBe(false);
  });

  it(`refuses a depth-20 selection (limit ${MAX_DEPTH}) before any resolver runs`, async () => {
    const slug = unique('deep');
    const res = await raw(t, {
      headers: json,
      key: t.editorKey,
      body: JSON.stringify({
        query: `mutation { createSection(input: { slug: "${slug}", name: "X" }) { ${nested(20)} } }`,
      }),
    });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await sectionExists(slug)).toBe(false);
    expect(res.body.errors[0].message).toMatch(/depth limit of 10 exceeded, found 2\d/);
  });

  it(`refuses 100 aliases (limit ${MAX_ALIASES}) before any resolver runs`, async () => {
    const prefix = unique('alias');
    const fields = Array.from(
      { length: 100 },
      (_, i) => `a${i}: createSection(input: { slug: "${prefix}-${i}", name: "X" }) { slug }`,
    );
    const res = await raw(t, {
      headers: json,
      key: t.editorKey,
      body: JSON.stringify({ query: `mutation { ${fields.join(' ')} }` }),
    });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/Aliases limit of 15 exceeded, found 100/);
    expect(await sectionExists(`${prefix}-0`)).toBe(false);
  });

  it('refuses an operation over the cost limit (nested lists multiply) before any resolver runs', async () => {
    const slug = unique('costly');
    const res = await raw(t, {
      headers: json,
      key: t.editorKey,
      body: JSON.stringify({
        query: `mutation { createSection(input: { slug: "${slug}", name: "X" }) { ${nested(6, 'slug name description')} } }`,
      }),
    });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/cost/i);
    expect(await sectionExists(slug)).toBe(false);
  });

  it('measures one document again for each page size and @include its variables ask for', async () => {
    // Costs are remembered per document: the same text with other variables must be judged anew.
    const query = `query Lists($n: Int!, $m: Int, $deep: Boolean!, $slug: String) {
      articles(first: $n) { edges { node { slug related(first: $n) @include(if: $deep) { reason } } } }
      ranking(first: $m) { rank }
      section(slug: "x") { slug }
      other: article(slug: $slug) { slug }
    }`;
    const ask = (variables: Record<string, unknown>) =>
      raw(t, { headers: json, body: JSON.stringify({ query, variables }) });
    const small = { n: 5, m: 5, deep: true, slug: 'a' };
    for (const slug of ['a', 'b', 'c']) expect((await ask({ ...small, slug })).status).toBe(200);
    const tooMany = await ask({ ...small, m: 101 });
    expect(tooMany.status).toBe(400);
    expect(codeOf(tooMany.body)).toBe('BAD_USER_INPUT');
    // 100 articles each with 100 related: over the cost limit; without the nested list, it is not.
    const nestedBig = await ask({ ...small, n: 100 });
    expect(codeOf(nestedBig.body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await ask({ ...small, n: 100, deep: false })).status).toBe(200);
    expect(codeOf((await ask({ ...small, n: 100 })).body)).toBe('GRAPHQL_VALIDATION_FAILED');
    // A variable of the wrong type is still bad input once the document is known.
    const wrongType = await ask({ ...small, slug: 5 });
    expect(wrongType.status).toBe(400);
    expect(codeOf(wrongType.body)).toBe('BAD_USER_INPUT');
    expect(codeOf((await ask({ ...small, m: undefined, n: 'ten' })).body)).toBe('BAD_USER_INPUT');
  });

  it(`refuses a 1 MB document with 413 (limit ${MAX_DOCUMENT_BYTES} bytes), by POST and by GET`, async () => {
    const slug = unique('huge');
    const padding = `# ${'x'.repeat(1_000_000)}\n`;
    const res = await raw(t, {
      headers: json,
      key: t.editorKey,
      body: JSON.stringify({
        query: `${padding}mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`,
      }),
    });
    expect(res.status).toBe(413);
    expect(codeOf(res.body)).toBe('PAYLOAD_TOO_LARGE');
    expect(await sectionExists(slug)).toBe(false);

    // Over GET the URL is bounded too: Node refuses request lines over 16 KiB (431), and our own
    // limit applies below that.
    const get = await fetch(
      `${t.url}/graphql?query=${encodeURIComponent(`{ sections { slug } } #${'x'.repeat(1_000_000)}`)}`,
      {
        headers: { 'apollo-require-preflight': '1' },
      },
    );
    expect([413, 431]).toContain(get.status);
  });

  it('answers a hash it has not seen with PERSISTED_QUERY_NOT_FOUND, then serves it after registration', async () => {
    const query = `{ sections { slug } } # ${unique('apq')}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const miss = await raw(t, { headers: json, body: JSON.stringify({ extensions }) });
    expect(codeOf(miss.body)).toBe('PERSISTED_QUERY_NOT_FOUND');

    const register = await raw(t, { headers: json, body: JSON.stringify({ query, extensions }) });
    expect(register.status).toBe(200);
    expect(Array.isArray(register.body.data.sections)).toBe(true);

    const hit = await raw(t, {
      method: 'GET',
      path: `/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`,
      headers: { 'apollo-require-preflight': '1' },
    });
    expect(hit.status).toBe(200);
    expect(Array.isArray(hit.body.data.sections)).toBe(true);

    const mismatch = await raw(t, {
      headers: json,
      body: JSON.stringify({ query: '{ sections { id } }', extensions }),
    });
    expect(mismatch.status).toBe(400);
  });

  it("a persisted query whose hash does not match its text is the client's mistake: BAD_USER_INPUT, no error logged", async () => {
    const query = `{ sections { slug } } # ${unique('apq-mismatch')}`;
    const wrongHash = createHash('sha256').update(`${query} `).digest('hex');
    const logged = [jest.spyOn(Logger.prototype, 'error'), jest.spyOn(Logger.prototype, 'warn')];
    try {
      const res = await raw(t, {
        headers: json,
        body: JSON.stringify({
          query,
          extensions: { persistedQuery: { version: 1, sha256Hash: wrongHash } },
        }),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } },
      ]);
      for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    } finally {
      logged.forEach((spy) => spy.mockRestore());
    }
  });

  it('an anonymous reader gets the pins of a pinned article (relatedArticles twice), public ones only', async () => {
    const a = await anArticle(t, published());
    const c = await anArticle(t, published());
    const b = await anArticle(t, published({ relatedArticles: [a.slug, c.slug] }));
    expect((await t.editor.patch(`/api/v1/articles/${a.slug}`, { relatedArticles: [b.slug] })).status).toBe(
      200,
    );
    const query = `query($s: String!) { article(slug: $s) { relatedArticles { slug relatedArticles { slug } } } }`;
    // Twice: once as the read cache loads the article, once from it.
    for (let i = 0; i < 2; i++) {
      const answer = await t.anonymous.graphql(query, { s: a.slug });
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({
        article: {
          relatedArticles: [{ slug: b.slug, relatedArticles: [{ slug: a.slug }, { slug: c.slug }] }],
        },
      });
    }
    // A pin's pins are the public ones only, and an answer showing one is not kept once it goes.
    expect((await t.editor.post(`/api/v1/articles/${c.slug}/unpublish`)).status).toBe(200);
    const answer = await t.anonymous.graphql(query, { s: a.slug });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      article: { relatedArticles: [{ slug: b.slug, relatedArticles: [{ slug: a.slug }] }] },
    });
  });

  it('outside production, introspection works and unknown fields get suggestions', async () => {
    const intro = await t.anonymous.graphql('{ __schema { queryType { name } } }');
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const typo = await t.anonymous.graphql('{ sectionz { slug } }');
    expect(typo.errors?.[0].message).toMatch(/Did you mean/);
  });
});

describe('Hardening: GraphQL in production', () => {
  let prod: TestApp;
  let prodIntrospection: TestApp;
  beforeAll(async () => {
    prod = await startTestApp({ nodeEnv: 'production', graphqlIntrospection: false });
    prodIntrospection = await startTestApp({ nodeEnv: 'production', graphqlIntrospection: true });
  });
  afterAll(async () => {
    await prod.close();
    await prodIntrospection.close();
  });

  it('turns introspection and field suggestions off', async () => {
    const intro = await prod.anonymous.graphql('{ __schema { queryType { name } } }');
    expect(intro.status).toBe(400);
    expect(intro.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await prod.anonymous.graphql('{ sectionz { slug } }');
    expect(typo.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean|sections/);
  });

  it('GRAPHQL_INTROSPECTION=true turns introspection back on', async () => {
    const intro = await prodIntrospection.anonymous.graphql('{ __schema { queryType { name } } }');
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('Hardening: internal errors are masked (unit, with a real PostgreSQL error)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a driver error from a resolver becomes INTERNAL_SERVER_ERROR without SQL or stack', async () => {
    // A real failed query through the app's own DataSource: the error a repository would throw.
    const pgError: unknown = await t.dateline.app
      .get(DataSource)
      .query('SELECT secret_column FROM no_such_table_for_the_test WHERE id = $1', [1])
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(String((pgError as Error).message)).toMatch(/no_such_table_for_the_test/);
    const wrapped = new GraphQLError((pgError as Error).message, {
      path: ['sections'],
      originalError: pgError as Error,
    });
    const formatted = formatGraphqlError(
      { message: wrapped.message, path: ['sections'], extensions: { stacktrace: ['at x (y.js:1:1)'] } },
      wrapped,
    );
    expect(formatted.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const text = JSON.stringify(formatted);
    expect(text).not.toMatch(/no_such_table|secret_column|relation|stacktrace/);
    expectNoLeak(text);
  });
});
