import { DataSource } from 'typeorm';
import { REACTIONS_CHANGED } from '../../src/common/cache/cache-invalidation';
import { ClusterBus } from '../../src/common/cluster/cluster-bus';
import { aSection, anArticle } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Articles: HTTP caching of public reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a public read has a strong ETag, 304 on If-None-Match, Cache-Control and Surrogate-Key', async () => {
    const world = await aSection(t, 'World');
    const asia = await aSection(t, 'Asia', world);
    const a = await anArticle(t, { section: asia, status: 'published' });
    const first = await t.anonymous.get(`/api/v1/articles/${a.slug}`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(first.headers.get('surrogate-key')?.split(' ')).toEqual(
      expect.arrayContaining([`article:${a.id}`, `section:${asia}`, `section:${world}`]),
    );
    const again = await t.anonymous.get(`/api/v1/articles/${a.slug}`, { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    const other = await t.anonymous.get(`/api/v1/articles/${a.slug}`, {
      'if-none-match': '"something-else"',
    });
    expect(other.status).toBe(200);

    const list = await t.anonymous.get(`/api/v1/articles?section=${asia}`);
    expect(list.headers.get('etag')).toBeTruthy();
    expect(list.headers.get('surrogate-key')).toContain(`article:${a.id}`);
    const list304 = await t.anonymous.get(`/api/v1/articles?section=${asia}`, {
      'if-none-match': list.headers.get('etag') as string,
    });
    expect(list304.status).toBe(304);

    const sections = await t.anonymous.get('/api/v1/sections');
    expect(sections.headers.get('etag')).toBeTruthy();
    expect(sections.headers.get('cache-control')).toMatch(/^public/);
    const section304 = await t.anonymous.get('/api/v1/sections', {
      'if-none-match': sections.headers.get('etag') as string,
    });
    expect(section304.status).toBe(304);
  });

  it("editors' answers are private, no-store", async () => {
    const a = await anArticle(t, { status: 'published' });
    const res = await t.editor.get(`/api/v1/articles/${a.id}`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('surrogate-key')).toBeNull();
    expect((await t.editor.get('/api/v1/articles')).headers.get('cache-control')).toBe('private, no-store');
  });

  it('the ETag changes when the article, its section name or its reaction count changes', async () => {
    const section = await aSection(t, 'Business');
    const a = await anArticle(t, { section, status: 'published' });
    const etagOf = async () => (await t.anonymous.get(`/api/v1/articles/${a.id}`)).headers.get('etag');
    const e1 = await etagOf();
    expect(await etagOf()).toBe(e1);

    await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'Now with a subtitle' });
    const e2 = await etagOf();
    expect(e2).not.toBe(e1);
    const stale = await t.anonymous.get(`/api/v1/articles/${a.id}`, { 'if-none-match': e1 as string });
    expect(stale.status).toBe(200);

    await t.editor.patch(`/api/v1/sections/${section}`, { name: 'Business & Money' });
    const e3 = await etagOf();
    expect(e3).not.toBe(e2);
    expect((await t.anonymous.get(`/api/v1/articles/${a.id}`)).body.section.name).toBe('Business & Money');

    const db = t.dateline.app.get(DataSource);
    await db.query(
      `INSERT INTO article_reactions (article_id, type, count) VALUES ($1, 'veryGood', 3)
       ON CONFLICT (article_id, type) DO UPDATE SET count = article_reactions.count + 3`,
      [a.id],
    );
    // What the reactions feature does after its commit: the read cache keeps counts from these.
    await t.dateline.app
      .get(ClusterBus)
      .publish(REACTIONS_CHANGED, { articleId: a.id, type: 'veryGood', count: 3 });
    const e4 = await etagOf();
    expect(e4).not.toBe(e3);
    expect((await t.anonymous.get(`/api/v1/articles/${a.id}`)).body.reactions).toEqual([
      { articleId: a.id, type: 'veryGood', count: 3 },
    ]);
  });
});
