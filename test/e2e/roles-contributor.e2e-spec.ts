import { HttpClient, expectProblem } from '../support/http-client';
import { anArticle, aSection } from '../support/article-factory';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('The contributor role', () => {
  let t: TestApp;
  let contributor: HttpClient;
  beforeAll(async () => {
    t = await startTestApp();
    const key = await t.admin.post('/api/v1/api-keys', { name: unique('stringer'), role: 'contributor' });
    expect(key.body.role).toBe('contributor');
    contributor = new HttpClient(t.url, key.body.key);
  });
  afterAll(() => t.close());

  it('creates and edits drafts, and reads them', async () => {
    const created = await contributor.post('/api/v1/articles', {
      title: 'Tide tables',
      bodyText: 'High water at six.',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const edited = await contributor.patch(`/api/v1/articles/${created.body.id}`, {
      title: 'Tide tables for May',
    });
    expect(edited.status).toBe(200);
    expect((await contributor.get(`/api/v1/articles/${created.body.slug}`)).body.title).toBe(
      'Tide tables for May',
    );

    const gql = await contributor.graphql(
      `mutation($id: ID!) { updateArticle(id: $id, input: { subtitle: "Neap tides" }) { subtitle status } }`,
      { id: created.body.id },
    );
    expect(gql.data.updateArticle).toEqual({ subtitle: 'Neap tides', status: 'draft' });
  });

  it('cannot publish, schedule, delete, restore, unpublish or import: 403', async () => {
    const draft = await anArticle(t);
    const live = await anArticle(t, { status: 'published' });
    expectProblem(await contributor.post(`/api/v1/articles/${draft.id}/publish`, {}), 403);
    expectProblem(
      await contributor.post(`/api/v1/articles/${draft.id}/publish`, {
        publishedAt: '2099-01-01T00:00:00.000Z',
      }),
      403,
    );
    expectProblem(await contributor.patch(`/api/v1/articles/${draft.id}`, { status: 'published' }), 403);
    expectProblem(
      await contributor.patch(`/api/v1/articles/${draft.id}`, {
        status: 'scheduled',
        publishedAt: '2099-01-01T00:00:00.000Z',
      }),
      403,
    );
    expectProblem(
      await contributor.post('/api/v1/articles', { title: 'Straight out', status: 'published' }),
      403,
    );
    expectProblem(await contributor.delete(`/api/v1/articles/${draft.id}`), 403);
    expectProblem(await contributor.post(`/api/v1/articles/${live.id}/unpublish`, {}), 403);
    expectProblem(await contributor.post(`/api/v1/articles/${draft.id}/restore`, {}), 403);
    expectProblem(
      await contributor.request('POST', '/api/v1/imports', '{"title":"x"}\n', {
        'content-type': 'application/x-ndjson',
      }),
      403,
    );
    // A published story is changed through its working copy, not directly.
    expectProblem(await contributor.patch(`/api/v1/articles/${live.id}`, { title: 'Changed live' }), 403);
    expect((await t.anonymous.get(`/api/v1/articles/${live.id}`)).body.title).toBe(live.title);

    const gql = await contributor.graphql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, {
      id: draft.id,
    });
    expect(gql.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const created = await contributor.graphql(
      `mutation { createArticle(input: { title: "Straight out", status: published }) { id } }`,
    );
    expect(created.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.editor.get(`/api/v1/articles/${draft.id}`)).body.status).toBe('draft');
  });

  it('cannot change sections, rankings, keys or webhooks', async () => {
    const section = await aSection(t);
    expectProblem(await contributor.post('/api/v1/sections', { slug: unique('s'), name: 'S' }), 403);
    expectProblem(await contributor.patch(`/api/v1/sections/${section}`, { name: 'S' }), 403);
    expectProblem(
      await contributor.put(`/api/v1/rankings/${unique('r')}`, { title: 'R', articles: [] }),
      403,
    );
    expectProblem(await contributor.get('/api/v1/api-keys'), 403);
    expectProblem(await contributor.get('/api/v1/audit'), 403);
  });
});
