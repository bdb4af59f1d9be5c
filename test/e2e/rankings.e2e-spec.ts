import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { addReactions, addViews } from '../support/signals';
import { startTestApp, type TestApp } from '../support/test-app';

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();
const ranked = (res: { body: { data: { rank: number; score: number; article: { slug: string } }[] } }) =>
  res.body.data.map((e) => [e.rank, e.article.slug, e.score]);

describe('Rankings: most read and trending', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('orders by weighted views and reactions inside each window; older events do not count; section filters', async () => {
    const news = await aSection(t, 'News');
    const local = await aSection(t, 'Local', news);
    const elsewhere = await aSection(t, 'Elsewhere');
    const a = await anArticle(t, { section: news, status: 'published', publishedAt: minutesAgo(50) });
    const b = await anArticle(t, { section: local, status: 'published', publishedAt: minutesAgo(40) });
    const d = await anArticle(t, { section: news, status: 'published', publishedAt: minutesAgo(30) });
    const e = await anArticle(t, { section: elsewhere, status: 'published' });
    const draft = await anArticle(t, { section: news });
    // a: 10 views this hour, 1 reaction 2 h ago (weight 5), 1000 views 721 h ago (outside 30d).
    await addViews(t, a.id, 0, 10);
    await addReactions(t, a.id, 2, 1);
    await addViews(t, a.id, 721, 1000);
    // b: 20 views 24 h ago (the oldest bucket of 24h), 100 views 25 h ago (outside 24h).
    await addViews(t, b.id, 24, 20);
    await addViews(t, b.id, 25, 100);
    // d: 3 views an hour ago (the oldest bucket of 1h), 50 views 200 h ago (outside 7d, inside 30d).
    await addViews(t, d.id, 1, 3);
    await addViews(t, d.id, 200, 50);
    await addViews(t, e.id, 0, 500);
    await addViews(t, draft.id, 0, 5000);

    const get = (q: string) => t.anonymous.get(`/api/v1/rankings?section=${news}&${q}`);
    const h1 = await get('window=1h');
    expect(h1.status).toBe(200);
    expect(h1.body).toMatchObject({ window: '1h', sort: 'popular' });
    expect(ranked(h1)).toEqual([
      [1, a.slug, 10],
      [2, d.slug, 3],
    ]);
    expect(ranked(await get('window=24h'))).toEqual([
      [1, b.slug, 20],
      [2, a.slug, 15],
      [3, d.slug, 3],
    ]);
    expect(ranked(await get(''))).toEqual(ranked(await get('window=24h')));
    expect(ranked(await get('window=7d'))).toEqual([
      [1, b.slug, 120],
      [2, a.slug, 15],
      [3, d.slug, 3],
    ]);
    expect(ranked(await get('window=30d'))).toEqual([
      [1, b.slug, 120],
      [2, d.slug, 53],
      [3, a.slug, 15],
    ]);
    expect(ranked(await get('window=30d&limit=2')).map((r) => r[1])).toEqual([b.slug, d.slug]);
    // The child section alone; the whole answer carries summaries.
    const child = await t.anonymous.get(`/api/v1/rankings?section=${local}&window=7d`);
    expect(ranked(child)).toEqual([[1, b.slug, 120]]);
    expect(child.body.data[0].article).toMatchObject({ id: b.id, title: b.title, section: { slug: local } });
    expect(child.body.data[0].article).not.toHaveProperty('body');
    expect(child.headers.get('cache-control')).toContain('max-age');
  });

  it('ties go to the more recently published article', async () => {
    const s = await aSection(t, 'Ties');
    const older = await anArticle(t, { section: s, status: 'published', publishedAt: minutesAgo(90) });
    const newer = await anArticle(t, { section: s, status: 'published', publishedAt: minutesAgo(10) });
    await addViews(t, older.id, 0, 7);
    await addViews(t, newer.id, 3, 7);
    const res = await t.anonymous.get(`/api/v1/rankings?section=${s}`);
    expect(ranked(res)).toEqual([
      [1, newer.slug, 7],
      [2, older.slug, 7],
    ]);
  });

  it('trending: fewer views all in the last hour beat more views a day old', async () => {
    const s = await aSection(t, 'Trending');
    const yesterday = await anArticle(t, { section: s, status: 'published', publishedAt: minutesAgo(1500) });
    const rising = await anArticle(t, { section: s, status: 'published', publishedAt: minutesAgo(60) });
    await addViews(t, yesterday.id, 24, 100);
    await addViews(t, rising.id, 0, 30);
    const popular = await t.anonymous.get(`/api/v1/rankings?section=${s}`);
    expect(ranked(popular).map((r) => r[1])).toEqual([yesterday.slug, rising.slug]);
    const trending = await t.anonymous.get(`/api/v1/rankings?section=${s}&sort=trending`);
    expect(trending.body).toMatchObject({ window: '24h', sort: 'trending' });
    expect(ranked(trending).map((r) => r[1])).toEqual([rising.slug, yesterday.slug]);
    // Documented decay: a bucket k hours old weighs 0.5^(k / 4).
    expect(trending.body.data[0].score).toBeCloseTo(30, 6);
    expect(trending.body.data[1].score).toBeCloseTo(100 / 64, 6);
  });

  it('GraphQL ranking answers the same list', async () => {
    const s = await aSection(t, 'Gql');
    const one = await anArticle(t, { section: s, status: 'published' });
    const two = await anArticle(t, { section: s, status: 'published' });
    await addViews(t, one.id, 100, 4);
    await addReactions(t, two.id, 0, 1);
    const res = await t.anonymous.graphql(
      `query($s: String) { ranking(window: "7d", section: $s, first: 5) { rank score article { slug bodyText tags { slug } } } }`,
      { s },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.ranking.map((e: any) => [e.rank, e.article.slug, e.score])).toEqual([
      [1, two.slug, 5],
      [2, one.slug, 4],
    ]);
    expect(res.data.ranking[0].article.bodyText).toContain('harbour');
    const trending = await t.anonymous.graphql(
      `query($s: String) { ranking(section: $s, sort: TRENDING) { article { slug } } }`,
      { s },
    );
    expect(trending.data.ranking.map((e: any) => e.article.slug)).toEqual([two.slug]);
    const bad = await t.anonymous.graphql(`{ ranking(window: "2h") { rank } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('bad window, sort or limit is 400 problem+json naming the field', async () => {
    for (const [q, field] of [
      ['window=2h', 'window'],
      ['sort=best', 'sort'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['section=Not%20A%20Slug', 'section'],
    ]) {
      const res = await t.anonymous.get(`/api/v1/rankings?${q}`);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const unknown = await t.anonymous.get(`/api/v1/rankings?section=no-such-section-anywhere`);
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual([]);
  });
});
