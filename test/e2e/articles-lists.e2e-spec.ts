import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const slugs = (res: { body: { data: { slug: string }[] } }) => res.body.data.map((a) => a.slug);
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

describe('Articles: lists, filters, cursors and search', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the section filter includes child sections; the public sees published articles only', async () => {
    const world = await aSection(t, 'World');
    const asia = await aSection(t, 'Asia', world);
    const other = await aSection(t, 'Other');
    const inWorld = await anArticle(t, { section: world, status: 'published', publishedAt: minutesAgo(3) });
    const inAsia = await anArticle(t, { section: asia, status: 'published', publishedAt: minutesAgo(2) });
    await anArticle(t, { section: other, status: 'published' });
    const draft = await anArticle(t, { section: asia });

    const pub = await t.anonymous.get(`/api/v1/articles?section=${world}`);
    expect(pub.status).toBe(200);
    expect(slugs(pub)).toEqual([inAsia.slug, inWorld.slug]);
    expect(pub.body.page).toEqual({ nextCursor: null, limit: 20 });
    expect(pub.body.data[0]).not.toHaveProperty('body');
    expect(pub.body.data[0]).not.toHaveProperty('bodyHtml');
    expect(pub.body.data[0].section).toEqual({ id: expect.any(String), slug: asia, name: 'Asia' });

    const ed = await t.editor.get(`/api/v1/articles?section=${world}`);
    expect(slugs(ed)).toEqual(expect.arrayContaining([draft.slug, inAsia.slug, inWorld.slug]));
    expect(slugs(ed)).toHaveLength(3);
    const drafts = await t.editor.get(`/api/v1/articles?section=${world}&status=draft`);
    expect(slugs(drafts)).toEqual([draft.slug]);
    expectProblem(await t.anonymous.get(`/api/v1/articles?section=${world}&status=draft`), 400);
    expect(slugs(await t.anonymous.get(`/api/v1/articles?section=${asia}`))).toEqual([inAsia.slug]);
  });

  it('editors filter by status; a scheduled article lists as scheduled until its time', async () => {
    const tag = unique('status');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const draft = await anArticle(t, { tags: [tag] });
    const scheduled = await anArticle(t, { tags: [tag], status: 'published', publishedAt: later });
    const live = await anArticle(t, { tags: [tag], status: 'published' });
    const archived = await anArticle(t, { tags: [tag], status: 'archived' });
    expect(scheduled.status).toBe('scheduled');
    const by = async (status: string) =>
      slugs(await t.editor.get(`/api/v1/articles?tag=${tag}&status=${status}`));
    expect(await by('draft')).toEqual([draft.slug]);
    expect(await by('scheduled')).toEqual([scheduled.slug]);
    expect(await by('published')).toEqual([live.slug]);
    expect(await by('archived')).toEqual([archived.slug]);
    expect(slugs(await t.anonymous.get(`/api/v1/articles?tag=${tag}`))).toEqual([live.slug]);
  });

  it('tag and author filters', async () => {
    const tag = unique('floods');
    const author = unique('Ana');
    const a = await anArticle(t, {
      tags: [tag, 'weather'],
      byline: `By ${author} Lopez`,
      status: 'published',
    });
    await anArticle(t, { tags: ['weather'], status: 'published' });
    expect(slugs(await t.anonymous.get(`/api/v1/articles?tag=${tag}`))).toEqual([a.slug]);
    expect(slugs(await t.anonymous.get(`/api/v1/articles?author=${author.toUpperCase()}`))).toEqual([a.slug]);
  });

  it('cursor pages visit every article exactly once while new ones arrive between pages', async () => {
    const tag = unique('paging');
    const existing: string[] = [];
    for (let i = 0; i < 9; i++) {
      // Two share a publication time: the id breaks the tie.
      const at = minutesAgo(100 - Math.min(i, 7));
      existing.push((await anArticle(t, { tags: [tag], status: 'published', publishedAt: at })).slug);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.anonymous.get(
        `/api/v1/articles?tag=${tag}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...slugs(res));
      cursor = res.body.page.nextCursor;
      pages++;
      await anArticle(t, { tags: [tag], status: 'published' });
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(9);
    expect(new Set(seen)).toEqual(new Set(existing));

    const edSeen: string[] = [];
    cursor = null;
    do {
      const res = await t.editor.get(
        `/api/v1/articles?tag=${tag}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      edSeen.push(...slugs(res));
      cursor = res.body.page.nextCursor;
    } while (cursor);
    expect(new Set(edSeen).size).toBe(edSeen.length);
    expect(edSeen).toEqual(expect.arrayContaining(existing));
    expectProblem(await t.anonymous.get(`/api/v1/articles?cursor=not-a-cursor`), 400);
  });

  it('q finds articles by words of their body and ranks a title match first', async () => {
    const word = `zq${Math.random().toString(36).slice(2, 8)}`;
    const inBody = await anArticle(t, {
      title: 'Council meets on Tuesday',
      bodyText: `The council discussed the ${word} proposal at length.\n\nNo decision was taken.`,
      status: 'published',
      publishedAt: minutesAgo(1),
    });
    const inTitle = await anArticle(t, {
      title: `The ${word} question`,
      bodyText: 'A short piece about something else entirely.',
      status: 'published',
      publishedAt: minutesAgo(50),
    });
    const res = await t.anonymous.get(`/api/v1/articles?q=${word}`);
    expect(slugs(res)).toEqual([inTitle.slug, inBody.slug]);
    const paged = await t.anonymous.get(`/api/v1/articles?q=${word}&limit=1`);
    expect(slugs(paged)).toEqual([inTitle.slug]);
    const next = await t.anonymous.get(
      `/api/v1/articles?q=${word}&limit=1&cursor=${encodeURIComponent(paged.body.page.nextCursor)}`,
    );
    expect(slugs(next)).toEqual([inBody.slug]);
    expect(next.body.page.nextCursor).toBeNull();
    const gql = await t.anonymous.graphql(
      `query($q: String) { articles(filter: { q: $q }) { totalCount edges { node { slug } } } }`,
      {
        q: word,
      },
    );
    expect(gql.data.articles.totalCount).toBe(2);
    expect(gql.data.articles.edges.map((e: any) => e.node.slug)).toEqual([inTitle.slug, inBody.slug]);
  });

  it('limit must be between 1 and 100', async () => {
    const res = await t.anonymous.get('/api/v1/articles?limit=1000');
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['limit']);
    expectProblem(await t.anonymous.get('/api/v1/articles?limit=0'), 400);
    expectProblem(await t.anonymous.get('/api/v1/articles?limit=abc'), 400);
    expect((await t.anonymous.get('/api/v1/articles?limit=100')).status).toBe(200);
  });
});
