import { anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const members = (res: { body: { data: { rank: number; article: { slug: string } }[] } }) =>
  res.body.data.map((e) => [e.rank, e.article.slug]);

describe('Rankings: curated lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('keeps its order; an unpublished member disappears for the public and comes back when republished', async () => {
    const [a, b, c] = [
      await anArticle(t, { status: 'published' }),
      await anArticle(t, { status: 'published' }),
      await anArticle(t, { status: 'published' }),
    ];
    const slug = unique('picks');
    const put = await t.editor.put(`/api/v1/rankings/${slug}`, {
      title: "Editors' picks",
      articles: [c.id, a.slug, b.id],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ slug, title: "Editors' picks" });
    expect(members(put)).toEqual([
      [1, c.slug],
      [2, a.slug],
      [3, b.slug],
    ]);
    const pub = await t.anonymous.get(`/api/v1/rankings/${slug}`);
    expect(pub.status).toBe(200);
    expect(members(pub)).toEqual(members(put));
    expect(pub.body.data[0].article).toMatchObject({ id: c.id, title: c.title });

    expect((await t.editor.post(`/api/v1/articles/${a.id}/unpublish`, {})).status).toBe(200);
    expect(members(await t.anonymous.get(`/api/v1/rankings/${slug}`))).toEqual([
      [1, c.slug],
      [2, b.slug],
    ]);
    // Editors still see every member; the list itself was not changed.
    expect(members(await t.editor.get(`/api/v1/rankings/${slug}`))).toEqual(members(put));
    const gql = await t.anonymous.graphql(
      `query($slug: String!) { curatedRanking(slug: $slug) { slug title data { rank article { slug } } } }`,
      { slug },
    );
    expect(gql.data.curatedRanking.data.map((e: any) => e.article.slug)).toEqual([c.slug, b.slug]);

    expect((await t.editor.post(`/api/v1/articles/${a.id}/publish`, {})).status).toBe(200);
    expect(members(await t.anonymous.get(`/api/v1/rankings/${slug}`))).toEqual(members(put));

    // The trash hides a member from the public too.
    expect((await t.editor.delete(`/api/v1/articles/${b.id}`)).status).toBe(204);
    expect(members(await t.anonymous.get(`/api/v1/rankings/${slug}`))).toEqual([
      [1, c.slug],
      [2, a.slug],
    ]);
  });

  it('PUT replaces the whole list and answers 200 again', async () => {
    const a = await anArticle(t, { status: 'published' });
    const b = await anArticle(t, { status: 'published' });
    const slug = unique('list');
    expect(
      (await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'One', articles: [a.id, b.id] })).status,
    ).toBe(200);
    const again = await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'Two', articles: [b.slug] });
    expect(again.status).toBe(200);
    const got = await t.anonymous.get(`/api/v1/rankings/${slug}`);
    expect(got.body.title).toBe('Two');
    expect(members(got)).toEqual([[1, b.slug]]);
    const empty = await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'Empty', articles: [] });
    expect(empty.body.data).toEqual([]);
  });

  it('refuses unknown or repeated articles naming the index, more than 100, bad input; needs an editor', async () => {
    const a = await anArticle(t, { status: 'published' });
    const slug = unique('bad');
    const unknown = await t.editor.put(`/api/v1/rankings/${slug}`, {
      title: 'X',
      articles: [a.id, 'no-such-article-here'],
    });
    expectProblem(unknown, 400);
    expect(unknown.body.errors).toEqual([{ path: 'articles[1]', message: expect.any(String) }]);
    // Nothing was written.
    expectProblem(await t.anonymous.get(`/api/v1/rankings/${slug}`), 404);
    const repeated = await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'X', articles: [a.id, a.slug] });
    expectProblem(repeated, 400);
    expect(repeated.body.errors[0].path).toBe('articles[1]');
    const many = await t.editor.put(`/api/v1/rankings/${slug}`, {
      title: 'X',
      articles: Array.from({ length: 101 }, () => a.id),
    });
    expectProblem(many, 400);
    expect(many.body.errors[0].path).toBe('articles');
    expectProblem(await t.editor.put(`/api/v1/rankings/${slug}`, { articles: [] }), 400);
    expectProblem(await t.editor.put(`/api/v1/rankings/Bad_Slug`, { title: 'X', articles: [] }), 400);
    expectProblem(await t.anonymous.put(`/api/v1/rankings/${slug}`, { title: 'X', articles: [] }), 401);
  });

  it('GraphQL putCuratedRanking and curatedRanking; an unknown slug is null', async () => {
    const a = await anArticle(t, { status: 'published' });
    const draft = await anArticle(t);
    const slug = unique('gql');
    const put = await t.editor.graphql(
      `mutation($slug: String!, $ids: [String!]!) {
         putCuratedRanking(slug: $slug, input: { title: "Morning", articles: $ids }) { slug title data { rank article { slug status } } }
       }`,
      { slug, ids: [draft.id, a.slug] },
    );
    expect(put.errors).toBeUndefined();
    expect(put.data.putCuratedRanking.data.map((e: any) => [e.rank, e.article.slug])).toEqual([
      [1, draft.slug],
      [2, a.slug],
    ]);
    const pub = await t.anonymous.graphql(
      `query($slug: String!) { curatedRanking(slug: $slug) { title data { rank article { slug } } } }`,
      { slug },
    );
    expect(pub.data.curatedRanking).toEqual({
      title: 'Morning',
      data: [{ rank: 1, article: { slug: a.slug } }],
    });
    const none = await t.anonymous.graphql(`{ curatedRanking(slug: "no-such-list-anywhere") { title } }`);
    expect(none.data.curatedRanking).toBeNull();
    const denied = await t.anonymous.graphql(
      `mutation { putCuratedRanking(slug: "x", input: { title: "X", articles: [] }) { slug } }`,
    );
    expect(denied.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
