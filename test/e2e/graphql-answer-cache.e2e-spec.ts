import { DataSource } from 'typeorm';
import { LIST_TTL_MS } from '../../src/read-cache/list-cache';
import { aSection, anArticle, setReactionCount } from '../support/article-factory';
import { clientViewed } from '../support/signals';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const PAGE = `query Page($slug: String!) {
  article(slug: $slug) {
    id title reactions { type count }
    related(first: 5) { reason article { id title reactions { count } } }
    recommendations(first: 5) { reason article { id title } }
  }
}`;

/**
 * Anonymous GraphQL article pages and lists are answered from a cache of whole answers. Each test
 * reads twice (the second read comes from the cache), changes something, and reads once more.
 */
describe('GraphQL answer cache: article pages and lists', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  const page = async (slug: string, query = PAGE, variables: Record<string, unknown> = {}) => {
    const res = await t.anonymous.graphql(query, { slug, ...variables });
    expect(res.errors).toBeUndefined();
    return res.data.article;
  };
  const warm = async (slug: string, query = PAGE, variables: Record<string, unknown> = {}) => {
    for (let i = 0; i < 2; i++) expect(await page(slug, query, variables)).not.toBeNull();
  };
  /** A change made behind the application's back: only an uncached read can see it. */
  const retitleQuietly = (id: string, title: string) =>
    db.query(`UPDATE articles SET title = $2 WHERE id = $1`, [id, title]);

  /** A story with a sibling that shares its tag (so the sibling is related). */
  async function story() {
    const tag = unique('harbour');
    const section = await aSection(t, 'Ports');
    const sibling = await anArticle(t, { status: 'published', section, tags: [tag] });
    const a = await anArticle(t, { status: 'published', section, tags: [tag] });
    return { a, sibling };
  }

  it('a second anonymous read is answered from the cache; an acknowledged write shows at once', async () => {
    const { a } = await story();
    await warm(a.slug);
    await retitleQuietly(a.id, 'Changed behind the cache');
    expect((await page(a.slug)).title).toBe(a.title);
    // Editors never get a kept answer.
    expect((await t.editor.graphql(PAGE, { slug: a.slug })).data.article.title).toBe(
      'Changed behind the cache',
    );

    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Harbour reopens' })).status).toBe(200);
    expect((await page(a.slug)).title).toBe('Harbour reopens');
  });

  it('an article shown among related or recommended ones: its change, reaction or unpublishing shows at once', async () => {
    const { a, sibling } = await story();
    await warm(a.slug);
    const first = await page(a.slug);
    expect(first.related.map((r: any) => r.article.id)).toContain(sibling.id);
    expect(first.recommendations.map((r: any) => r.article.id)).toContain(sibling.id);

    await t.editor.patch(`/api/v1/articles/${sibling.id}`, { title: 'Sibling, retitled' });
    const retitled = await page(a.slug);
    expect(retitled.related.find((r: any) => r.article.id === sibling.id).article.title).toBe(
      'Sibling, retitled',
    );

    await setReactionCount(t, sibling.id, 9);
    const reacted = await page(a.slug);
    expect(reacted.related.find((r: any) => r.article.id === sibling.id).article.reactions).toEqual([
      { count: 9 },
    ]);

    expect((await t.editor.post(`/api/v1/articles/${sibling.id}/unpublish`)).status).toBe(200);
    const after = await page(a.slug);
    expect(after.related.map((r: any) => r.article.id)).not.toContain(sibling.id);
    expect(after.recommendations.map((r: any) => r.article.id)).not.toContain(sibling.id);
  });

  it("an editor's new pin shows first at once, over REST and GraphQL", async () => {
    const { a } = await story();
    const pin = await anArticle(t, { status: 'published' });
    await warm(a.slug);
    expect((await t.anonymous.get(`/api/v1/articles/${a.slug}/related`)).status).toBe(200);

    await t.editor.patch(`/api/v1/articles/${a.id}`, { relatedArticles: [pin.id] });
    expect((await page(a.slug)).related[0]).toEqual({
      reason: 'editor-pick',
      article: expect.objectContaining({ id: pin.id }),
    });
    const rest = await t.anonymous.get(`/api/v1/articles/${a.slug}/related`);
    expect(rest.body.data[0]).toMatchObject({ reason: 'editor-pick', article: { id: pin.id } });
  });

  it('lists are kept at most a second and dropped by any article write or a count they show', async () => {
    const section = await aSection(t, 'Latest');
    const list = `query($s: String) {
      articles(filter: { section: $s }, first: 5) { edges { node { id title reactions { count } } } }
    }`;
    const read = async () =>
      (await t.anonymous.graphql(list, { s: section })).data.articles.edges.map((e: any) => e.node);
    expect(await read()).toEqual([]);
    expect(await read()).toEqual([]);
    const first = await anArticle(t, { status: 'published', section });
    expect((await read()).map((n: any) => n.id)).toEqual([first.id]);

    await setReactionCount(t, first.id, 3);
    expect((await read())[0].reactions).toEqual([{ count: 3 }]);

    // A change nothing announces shows once the second is over (the server's clock moves past it).
    await retitleQuietly(first.id, 'Quietly retitled');
    expect((await read())[0].title).not.toBe('Quietly retitled');
    t.clock.advance(LIST_TTL_MS + 1);
    expect((await read())[0].title).toBe('Quietly retitled');
  });

  it('an article not found is never kept: it answers as soon as it is published', async () => {
    const slug = unique('soon');
    expect(await page(slug)).toBeNull();
    expect(await page(slug)).toBeNull();
    await anArticle(t, { status: 'published', slug });
    expect((await page(slug))?.id).toEqual(expect.any(String));
  });

  it("one reader's recommendations are never kept: they follow what the reader reads", async () => {
    const { a, sibling } = await story();
    const query = `query($slug: String!, $client: String) {
      article(slug: $slug) { id recommendations(first: 5, clientId: $client) { article { id title } } }
    }`;
    const reader = unique('reader');
    await clientViewed(t, reader, [a.id]);
    await warm(a.slug, query, { client: reader });
    await retitleQuietly(sibling.id, 'Seen fresh');
    const recommended = (await page(a.slug, query, { client: reader })).recommendations;
    expect(recommended.find((r: any) => r.article.id === sibling.id).article.title).toBe('Seen fresh');
  });
});
