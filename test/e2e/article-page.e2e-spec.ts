import { aSection, anArticle } from '../support/article-factory';
import { clientViewed } from '../support/signals';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('The article page in one GraphQL request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('article with breadcrumb, reactions, related(5) and recommendations(5)', async () => {
    const world = await aSection(t, 'World');
    const asia = await aSection(t, 'Asia', world);
    const tag = unique('typhoon');
    const page = await anArticle(t, {
      status: 'published',
      section: asia,
      tags: [tag],
      dateline: 'SEOUL, South Korea',
      source: 'AP',
    });
    const sibling = await anArticle(t, { status: 'published', tags: [tag] });
    const coViewed = await anArticle(t, { status: 'published', bodyText: `Other ${unique('x')}.` });
    const reader = unique('reader');
    await clientViewed(t, reader, [page.id]);
    await clientViewed(t, unique('peer'), [page.id, coViewed.id]);

    const res = await t.anonymous.graphql(
      `query($slug: String, $client: String) {
         article(slug: $slug) {
           title dateline source
           breadcrumb { name }
           reactions { type count }
           related(first: 5) { reason article { slug } }
           recommendations(first: 5, clientId: $client) { reason article { slug } }
         }
       }`,
      { slug: page.slug, client: reader },
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const a = res.data.article;
    expect(a).toMatchObject({ title: page.title, dateline: 'SEOUL, South Korea', source: 'AP' });
    expect(a.breadcrumb).toEqual([{ name: 'World' }, { name: 'Asia' }]);
    expect(a.reactions).toEqual([{ type: 'veryGood', count: 0 }]);
    expect(a.related[0]).toEqual({ reason: 'shared-tags', article: { slug: sibling.slug } });
    expect(a.related.length).toBeLessThanOrEqual(5);
    expect(a.related.map((r: any) => r.article.slug)).not.toContain(page.slug);
    expect(a.recommendations[0]).toEqual({ reason: 'readers-also-read', article: { slug: coViewed.slug } });
    expect(a.recommendations.length).toBeLessThanOrEqual(5);
    expect(a.recommendations.map((r: any) => r.article.slug)).not.toContain(page.slug);
  });

  it('Query.recommendations answers like REST', async () => {
    const tag = unique('quake');
    const source = await anArticle(t, { status: 'published', tags: [tag] });
    const other = await anArticle(t, { status: 'published', tags: [tag] });
    const res = await t.anonymous.graphql(
      `query($id: ID) { recommendations(articleId: $id, first: 3) { reason article { slug } } }`,
      { id: source.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.recommendations[0]).toEqual({ reason: 'related', article: { slug: other.slug } });
    const bad = await t.anonymous.graphql(`{ recommendations(clientId: "") { reason } }`);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
