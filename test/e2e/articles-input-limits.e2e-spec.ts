import { ARTICLE_LIMITS as L } from '../../src/articles/article-limits';
import { ndjson, NDJSON, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/**
 * Issue 16 (input limits): one table of limits for every way an article arrives. A field over
 * its limit is refused by POST /articles, GraphQL createArticle and an NDJSON import line with
 * the same path and the same words; the API's limits are the ones that hold.
 */
describe('Article input limits: the same refusals through REST, GraphQL and imports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const chars = (n: number) => 'x'.repeat(n);
  const slugs = (n: number) => Array.from({ length: n }, (_, i) => `s-${i}`);
  const over: [string, unknown, string][] = [
    ['externalId', chars(L.externalId + 1), `must be at most ${L.externalId} characters`],
    ['title', chars(L.title + 1), `must be at most ${L.title} characters`],
    ['subtitle', chars(L.subtitle + 1), `must be at most ${L.subtitle} characters`],
    ['dateline', chars(L.dateline + 1), `must be at most ${L.dateline} characters`],
    ['byline', chars(L.byline + 1), `must be at most ${L.byline} characters`],
    ['source', chars(L.source + 1), `must be at most ${L.source} characters`],
    ['excerpt', chars(L.excerpt + 1), `must be at most ${L.excerpt} characters`],
    [
      'body',
      Array.from({ length: L.blocks + 1 }, () => ({ type: 'paragraph', text: 'x' })),
      `must have at most ${L.blocks} items`,
    ],
    ['sections', slugs(L.sections + 1), `must have at most ${L.sections} items`],
    ['tags', slugs(L.tags + 1), `must have at most ${L.tags} items`],
    ['relatedArticles', slugs(L.relatedArticles + 1), `must have at most ${L.relatedArticles} items`],
  ];
  const input = (field: string, value: unknown) => ({
    title: 'Within limits',
    ...(field === 'body' ? {} : { bodyText: 'Short.' }),
    [field]: value,
  });
  const listed = (errors: { path: string; message: string }[]) =>
    errors.map((e) => `${e.path}: ${e.message}`).join('; ');

  it('the API limits hold on every transport, and the table is the API one', () => {
    expect(L).toMatchObject({ externalId: 512, excerpt: 2000, blocks: 10_000 });
  });

  it.each(over)('%s over its limit: the same path and message everywhere', async (field, value, message) => {
    const rest = await t.editor.post('/api/v1/articles', input(field, value));
    expect(rest.status).toBe(400);
    expect(listed(rest.body.errors)).toBe(`${field}: ${message}`);
    expect(rest.body.detail).toBe(`${field}: ${message}`);

    const gql = await t.editor.graphql(
      `mutation($input: ArticleInput!) { createArticle(input: $input) { id } }`,
      {
        input: input(field, value),
      },
    );
    const [refused] = gql.errors ?? [];
    expect(refused?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(listed((refused?.extensions?.errors ?? []) as never)).toBe(`${field}: ${message}`);

    const imported = await postImport(
      t.editor,
      ndjson([
        { ...input(field, value), ...(field === 'externalId' ? {} : { externalId: unique('limit') }) },
      ]),
      NDJSON['content-type'],
    );
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 0, failed: 1 });
    expect(imported.body.errors[0].message).toBe(`${field}: ${message}`);
  });

  it('an import error repeats at most 200 characters of a refused externalId; the API limit itself is accepted', async () => {
    const long = `wire-${'y'.repeat(595)}`;
    const res = await postImport(
      t.editor,
      ndjson([
        { externalId: long, title: 'Too long a key', bodyText: 'x' },
        { externalId: `${unique('k')}-`.padEnd(L.externalId, 'k'), title: 'Longest key', bodyText: 'x' },
      ]),
      NDJSON['content-type'],
    );
    expect(res.body).toMatchObject({ created: 1, failed: 1 });
    expect(res.body.errors).toEqual([
      {
        line: 1,
        externalId: long.slice(0, 200),
        message: `externalId: must be at most ${L.externalId} characters`,
      },
    ]);
  });
});
