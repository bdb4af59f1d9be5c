import { DataSource } from 'typeorm';
import { CACHE_INVALIDATE } from '../../src/common/cache/cache-invalidation';
import { ClusterBus } from '../../src/common/cluster/cluster-bus';
import { ArticleCache } from '../../src/read-cache/article-cache';
import { aSection, anArticle, setReactionCount } from '../support/article-factory';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const PAGE = `query Page($slug: String!) {
  article(slug: $slug) {
    id slug title status section { slug name } breadcrumb { slug name } tags { slug name }
    reactions { type count } relatedArticles { id title reactions { type count } }
  }
}`;

/**
 * The read cache never shows what an acknowledged write changed, and never shows the public an
 * article it may not see. Every test reads first (so the cache holds the answer), then writes,
 * then reads once more.
 */
describe('Read cache: the next read after a write shows it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const rest = (key: string) => t.anonymous.get(`/api/v1/articles/${key}`);
  const page = async (slug: string) => (await t.anonymous.graphql(PAGE, { slug })).data?.article;
  /** Reads twice over both transports, so the second read of each comes from the cache. */
  const warm = async (slug: string) => {
    for (let i = 0; i < 2; i++) {
      expect((await rest(slug)).status).toBe(200);
      expect(await page(slug)).not.toBeNull();
    }
  };

  it('an article update, a section rename and a reaction count show on the very next read', async () => {
    const section = await aSection(t, 'Harbours');
    const a = await anArticle(t, { section, status: 'published' });
    await warm(a.slug);

    expect(
      (await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Harbour reopens at last' })).status,
    ).toBe(200);
    expect((await rest(a.slug)).body.title).toBe('Harbour reopens at last');
    expect((await page(a.slug)).title).toBe('Harbour reopens at last');

    expect((await t.editor.patch(`/api/v1/sections/${section}`, { name: 'Ports' })).status).toBe(200);
    expect((await rest(a.slug)).body.section.name).toBe('Ports');
    expect((await page(a.slug)).breadcrumb.at(-1).name).toBe('Ports');

    await setReactionCount(t, a.id, 41);
    expect((await rest(a.slug)).body.reactions).toEqual([{ articleId: a.id, type: 'veryGood', count: 41 }]);
    expect((await page(a.slug)).reactions).toEqual([{ type: 'veryGood', count: 41 }]);
    await setReactionCount(t, a.id, 42);
    expect((await rest(a.id)).body.reactions[0].count).toBe(42);
    expect((await page(a.slug)).reactions[0].count).toBe(42);
  });

  it('a related article changing shows in the articles that pin it', async () => {
    const pinned = await anArticle(t, { status: 'published' });
    const a = await anArticle(t, { status: 'published', relatedArticles: [pinned.id] });
    await warm(a.slug);

    await t.editor.patch(`/api/v1/articles/${pinned.id}`, { title: 'Pinned, retitled' });
    expect((await rest(a.slug)).body.relatedArticles[0].title).toBe('Pinned, retitled');
    expect((await page(a.slug)).relatedArticles[0].title).toBe('Pinned, retitled');

    await setReactionCount(t, pinned.id, 7);
    expect((await rest(a.slug)).body.relatedArticles[0].reactions[0].count).toBe(7);
    expect((await page(a.slug)).relatedArticles[0].reactions[0].count).toBe(7);

    await t.editor.post(`/api/v1/articles/${pinned.id}/unpublish`);
    expect((await rest(a.slug)).body.relatedArticles).toEqual([]);
    expect((await page(a.slug)).relatedArticles).toEqual([]);
  });

  it('a pinned draft shows in the article that pins it as soon as it is published (REST, GraphQL, related)', async () => {
    const draft = await anArticle(t);
    const a = await anArticle(t, { status: 'published', relatedArticles: [draft.id] });
    const related = async () =>
      (await t.anonymous.get(`/api/v1/articles/${a.slug}/related`)).body.data.map(
        (s: { reason: string; article: { id: string } }) => `${s.reason}:${s.article.id}`,
      );
    await warm(a.slug);
    expect((await rest(a.slug)).body.relatedArticles).toEqual([]);
    expect((await page(a.slug)).relatedArticles).toEqual([]);
    expect(await related()).not.toContain(`editor-pick:${draft.id}`);

    expect((await t.editor.post(`/api/v1/articles/${draft.id}/publish`, {})).status).toBe(200);
    expect((await rest(a.slug)).body.relatedArticles.map((r: { id: string }) => r.id)).toEqual([draft.id]);
    expect((await page(a.slug)).relatedArticles.map((r: { id: string }) => r.id)).toEqual([draft.id]);
    expect((await related())[0]).toBe(`editor-pick:${draft.id}`);
  });

  it('a pinned article scheduled for a moment later shows in the article that pins it when its time comes', async () => {
    const at = new Date(t.clock.now() + 1500).toISOString();
    const scheduled = await anArticle(t, { status: 'scheduled', publishedAt: at });
    const a = await anArticle(t, { status: 'published', relatedArticles: [scheduled.id] });
    await warm(a.slug);
    expect((await rest(a.slug)).body.relatedArticles).toEqual([]);
    expect((await page(a.slug)).relatedArticles).toEqual([]);
    // Nothing announces a schedule coming due: the cached answers know when it will.
    t.clock.passTo(at);
    expect((await rest(a.slug)).body.relatedArticles.map((r: { id: string }) => r.id)).toEqual([
      scheduled.id,
    ]);
    expect((await page(a.slug)).relatedArticles.map((r: { id: string }) => r.id)).toEqual([scheduled.id]);
  });

  it('published, then unpublished or trashed: the next public read is 404', async () => {
    const a = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    expect((await t.editor.post(`/api/v1/articles/${a.id}/unpublish`)).status).toBe(200);
    expect((await rest(a.slug)).status).toBe(404);
    expect((await rest(a.id)).status).toBe(404);
    expect(await page(a.slug)).toBeNull();

    const b = await anArticle(t, { status: 'published' });
    await warm(b.slug);
    expect((await t.editor.delete(`/api/v1/articles/${b.id}`)).status).toBe(204);
    expect((await rest(b.slug)).status).toBe(404);
    expect(await page(b.slug)).toBeNull();
  });

  it('a new slug answers at once and the old one is gone', async () => {
    const a = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    const slug = unique('renamed');
    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { slug })).status).toBe(200);
    expect((await rest(a.slug)).status).toBe(404);
    expect(await page(a.slug)).toBeNull();
    expect((await rest(slug)).body.id).toBe(a.id);
  });

  it('drafts and articles scheduled for later are never served publicly, even after editors read them', async () => {
    const draft = await anArticle(t);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const scheduled = await anArticle(t, { status: 'scheduled', publishedAt: at });
    for (const a of [draft, scheduled]) {
      expect((await t.editor.get(`/api/v1/articles/${a.slug}`)).status).toBe(200);
      expect((await t.editor.graphql(PAGE, { slug: a.slug })).data.article.id).toBe(a.id);
      expect((await rest(a.slug)).status).toBe(404);
      expect((await rest(a.id)).status).toBe(404);
      expect(await page(a.slug)).toBeNull();
    }
  });

  it('an article scheduled for a moment later becomes public when its time comes', async () => {
    const at = new Date(t.clock.now() + 1500).toISOString();
    const a = await anArticle(t, { status: 'scheduled', publishedAt: at });
    expect((await rest(a.slug)).status).toBe(404);
    t.clock.passTo(at);
    const now = await rest(a.slug);
    expect(now.status).toBe(200);
    expect(now.body.status).toBe('published');
  });

  it('a cache.invalidate message from another instance drops the article here', async () => {
    const a = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    // Another instance wrote the row and told every instance.
    await t.dateline.app
      .get(DataSource)
      .query(`UPDATE articles SET title = 'Written elsewhere' WHERE id = $1`, [a.id]);
    await t.dateline.app.get(ClusterBus).publish(CACHE_INVALIDATE, { articleIds: [a.id] });
    expect((await rest(a.slug)).body.title).toBe('Written elsewhere');
    expect((await page(a.slug)).title).toBe('Written elsewhere');
  });

  it('a list shows a newly published article and a changed reaction count on the next read', async () => {
    const section = await aSection(t, 'Lists');
    const first = await anArticle(t, { section, status: 'published' });
    const url = `/api/v1/articles?section=${section}&limit=20`;
    for (let i = 0; i < 2; i++) expect((await t.anonymous.get(url)).body.data).toHaveLength(1);

    const second = await anArticle(t, { section, status: 'published' });
    expect((await t.anonymous.get(url)).body.data.map((x: { id: string }) => x.id)).toEqual([
      second.id,
      first.id,
    ]);

    await setReactionCount(t, first.id, 5);
    const list = await t.anonymous.get(url);
    expect(list.body.data[1].reactions[0].count).toBe(5);

    await t.editor.post(`/api/v1/articles/${second.id}/unpublish`);
    expect((await t.anonymous.get(url)).body.data.map((x: { id: string }) => x.id)).toEqual([first.id]);
  });

  it('ETag and 304 hold for answers from the cache, and a count change makes a new ETag', async () => {
    const a = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    const first = await rest(a.slug);
    const etag = first.headers.get('etag') as string;
    expect(first.headers.get('cache-control')).toContain('public');
    expect(first.headers.get('surrogate-key')).toContain(`article:${a.id}`);
    expect((await t.anonymous.get(`/api/v1/articles/${a.slug}`, { 'if-none-match': etag })).status).toBe(304);
    await setReactionCount(t, a.id, 3);
    const after = await t.anonymous.get(`/api/v1/articles/${a.slug}`, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    // Editors still get private answers, never the cached public one.
    const editor = await t.editor.get(`/api/v1/articles/${a.slug}`);
    expect(editor.headers.get('cache-control')).toBe('private, no-store');
  });

  it('an entry due for refresh is answered at once and read again in the background (view counts)', async () => {
    const a = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    const db = t.dateline.app.get(DataSource);
    // View counts reach the row without any announcement (the views flush writes them).
    await db.query(`UPDATE articles SET view_count = 77 WHERE id = $1`, [a.id]);
    expect((await rest(a.slug)).body.viewCount).toBe(0);

    const entry = t.dateline.app.get(ArticleCache).get({ slug: a.slug });
    if (!entry) throw new Error('the article should be cached');
    entry.refreshAt = 0;
    // This read does not wait for the refresh: it still has the old count…
    expect((await rest(a.slug)).body.viewCount).toBe(0);
    // …and the refreshed entry answers soon after.
    await waitFor('the refreshed entry', async () => (await rest(a.slug)).body.viewCount === 77);
    expect((await page(a.slug)).id).toBe(a.id);
  });
});
