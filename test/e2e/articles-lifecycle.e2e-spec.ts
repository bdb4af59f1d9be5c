import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('Articles: writing, publishing, revisions and the trash', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a draft is for editors only; once published the public reads it by slug and by id', async () => {
    const world = await aSection(t, 'World');
    const asia = await aSection(t, 'Asia-Pacific', world);
    const tag = unique('elections');
    const slug = unique('seoul-votes');
    const created = await t.editor.post('/api/v1/articles', {
      slug,
      title: 'Seoul votes in a tight race',
      subtitle: 'Turnout was the highest in decades',
      dateline: 'SEOUL, South Korea',
      byline: 'Min-ji Park',
      source: 'AP',
      section: asia,
      tags: [tag],
      bodyText: 'Voters queued before dawn.\n\nResults are expected overnight.',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug, status: 'draft', publishedAt: null });

    const asEditor = await t.editor.get(`/api/v1/articles/${slug}`);
    expect(asEditor.status).toBe(200);
    expectProblem(await t.anonymous.get(`/api/v1/articles/${slug}`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/articles/${created.body.id}`), 404);

    const pub = await t.editor.post(`/api/v1/articles/${slug}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.status).toBe('published');
    expect(Date.parse(pub.body.publishedAt)).toBeLessThanOrEqual(Date.now());

    const bySlug = await t.anonymous.get(`/api/v1/articles/${slug}`);
    const byId = await t.anonymous.get(`/api/v1/articles/${created.body.id}`);
    expect(bySlug.status).toBe(200);
    expect(byId.body).toEqual(bySlug.body);
    expect(bySlug.body).toMatchObject({
      id: created.body.id,
      title: 'Seoul votes in a tight race',
      dateline: 'SEOUL, South Korea',
      source: 'AP',
      byline: 'Min-ji Park',
      status: 'published',
      section: { slug: asia, name: 'Asia-Pacific' },
      tags: [{ slug: tag, name: tag }],
      bodyText: 'Voters queued before dawn.\n\nResults are expected overnight.',
      excerpt: 'Voters queued before dawn.',
      viewCount: 0,
      reactions: [{ type: 'veryGood', count: 0 }],
    });
    expect(bySlug.body.breadcrumb.map((s: { slug: string }) => s.slug)).toEqual([world, asia]);
    expect(bySlug.body.body).toEqual([
      { type: 'paragraph', text: 'Voters queued before dawn.' },
      { type: 'paragraph', text: 'Results are expected overnight.' },
    ]);
    expect(bySlug.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const unpub = await t.editor.post(`/api/v1/articles/${slug}/unpublish`);
    expect(unpub.body).toMatchObject({ status: 'draft', publishedAt: pub.body.publishedAt });
    expectProblem(await t.anonymous.get(`/api/v1/articles/${slug}`), 404);
  });

  it('a scheduled article appears at its time with nothing running in between', async () => {
    const article = await anArticle(t);
    const at = new Date(t.clock.now() + 3000).toISOString();
    const scheduled = await t.editor.post(`/api/v1/articles/${article.id}/publish`, { publishedAt: at });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', publishedAt: at });
    expectProblem(await t.anonymous.get(`/api/v1/articles/${article.id}`), 404);
    const gqlBefore = await t.anonymous.graphql(`query($id: ID) { article(id: $id) { id } }`, {
      id: article.id,
    });
    expect(gqlBefore.data.article).toBeNull();

    // The server's clock reaches the time: nothing runs, the next read finds the article public.
    t.clock.passTo(at);
    const seen = await t.anonymous.get(`/api/v1/articles/${article.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: 'published', publishedAt: at });
    const gqlAfter = await t.anonymous.graphql(`query($id: ID) { article(id: $id) { id status } }`, {
      id: article.id,
    });
    expect(gqlAfter.data.article).toEqual({ id: article.id, status: 'published' });
  });

  it('creating with status published is allowed, and a slug is made from the title with -2 on a clash', async () => {
    const title = `Storm closes ${unique('port')} Harbour`;
    const a = await anArticle(t, { title, status: 'published' });
    const b = await anArticle(t, { title });
    expect(a.status).toBe('published');
    expect(a.slug).toBe(title.toLowerCase().replace(/ /g, '-'));
    expect(b.slug).toBe(`${a.slug}-2`);
    expect((await t.anonymous.get(`/api/v1/articles/${a.slug}`)).status).toBe(200);
  });

  it('two edits keep two revisions; restoring the first brings its text back as a new revision', async () => {
    const article = await anArticle(t, { title: 'First title', bodyText: 'First body.' });
    await t.editor.patch(`/api/v1/articles/${article.id}`, { title: 'Second title' });
    await t.editor.patch(`/api/v1/articles/${article.id}`, { title: 'Third title', bodyText: 'Third body.' });
    expect((await t.editor.get(`/api/v1/articles/${article.id}`)).body.title).toBe('Third title');

    const revisions = await t.editor.get(`/api/v1/articles/${article.id}/revisions`);
    expect(revisions.status).toBe(200);
    expect(revisions.body.data).toHaveLength(2);
    const titles = revisions.body.data.map((r: { title: string }) => r.title);
    expect(titles).toEqual(['Second title', 'First title']);
    const first = revisions.body.data[1];
    expect(first).toMatchObject({ articleId: article.id, author: 'test editor' });

    const restored = await t.editor.post(`/api/v1/articles/${article.id}/revisions/${first.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ title: 'First title', bodyText: 'First body.' });
    const after = await t.editor.get(`/api/v1/articles/${article.id}/revisions`);
    expect(after.body.data).toHaveLength(3);
    expect(after.body.data[0].title).toBe('Third title');
    expectProblem(await t.anonymous.get(`/api/v1/articles/${article.id}/revisions`), 401);
  });

  it('delete moves to the trash (404 for everyone), restore brings it back', async () => {
    const article = await anArticle(t, { status: 'published' });
    expect((await t.editor.delete(`/api/v1/articles/${article.slug}`)).status).toBe(204);
    expectProblem(await t.anonymous.get(`/api/v1/articles/${article.id}`), 404);
    expectProblem(await t.editor.get(`/api/v1/articles/${article.id}`), 404);
    const restored = await t.editor.post(`/api/v1/articles/${article.id}/restore`);
    expect(restored.status).toBe(200);
    expect((await t.anonymous.get(`/api/v1/articles/${article.id}`)).status).toBe(200);
    expectProblem(await t.anonymous.delete(`/api/v1/articles/${article.id}`), 401);
  });

  it('a section that still has articles cannot be deleted (409)', async () => {
    const section = await aSection(t, 'Sport');
    const article = await anArticle(t, { section });
    expectProblem(await t.editor.delete(`/api/v1/sections/${section}`), 409);
    await t.editor.patch(`/api/v1/articles/${article.id}`, { section: null });
    expect((await t.editor.delete(`/api/v1/sections/${section}`)).status).toBe(204);
  });
});
