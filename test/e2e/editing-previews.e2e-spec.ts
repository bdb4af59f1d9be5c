import { expectProblem } from '../support/http-client';
import { anArticle } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';

const PREVIEW_QUERY = `query($token: String!) { preview(token: $token) { id title status bodyText } }`;

describe('Preview links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('shows a draft to a browser with no key, private and not indexed, over REST and GraphQL', async () => {
    const draft = await anArticle(t, { title: 'Council budget: the draft' });
    const link = await t.editor.post(`/api/v1/articles/${draft.slug}/preview-links`, {});
    expect(link.status).toBe(201);
    expect(link.body).toEqual({
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      url: `/api/v1/preview/${link.body.token}`,
      expiresAt: expect.any(String),
    });
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);

    // The draft is not public ...
    expectProblem(await t.anonymous.get(`/api/v1/articles/${draft.slug}`), 404);
    // ... but its preview is, to whoever holds the link.
    const shown = await t.anonymous.get(link.body.url);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: draft.id, title: 'Council budget: the draft', status: 'draft' });
    expect(shown.body.bodyHtml).toContain('harbour');
    expect(shown.headers.get('cache-control')).toBe('private, no-store');
    expect(shown.headers.get('x-robots-tag')).toBe('noindex');
    expect(shown.headers.get('etag')).toBeNull();
    expect(shown.headers.get('surrogate-key')).toBeNull();
    expect(shown.body).not.toHaveProperty('lock');

    const res = await t.anonymous.request('POST', '/graphql', {
      query: PREVIEW_QUERY,
      variables: { token: link.body.token },
    });
    expect(res.body.data.preview).toMatchObject({ id: draft.id, status: 'draft' });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
  });

  it('shows each change at once: never an answer kept from before', async () => {
    const draft = await anArticle(t, { title: 'First take' });
    const link = (await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, {})).body;
    expect((await t.anonymous.get(link.url)).body.title).toBe('First take');
    await t.editor.patch(`/api/v1/articles/${draft.id}`, { title: 'Second take' });
    expect((await t.anonymous.get(link.url)).body.title).toBe('Second take');
    const gql = await t.anonymous.graphql(PREVIEW_QUERY, { token: link.token });
    expect(gql.data.preview.title).toBe('Second take');
  });

  it('is 404 after it expires or is revoked, and for a made-up token', async () => {
    const draft = await anArticle(t);
    t.clock.set(Date.now());
    const short = (await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, { expiresIn: 60 })).body;
    expect(short.expiresAt).toBe(new Date(t.clock.now() + 60_000).toISOString());
    const long = (await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, {})).body;
    expect((await t.anonymous.get(short.url)).status).toBe(200);

    t.clock.passTo(short.expiresAt);
    const expired = await t.anonymous.get(short.url);
    expectProblem(expired, 404);
    expect(expired.headers.get('cache-control')).toContain('no-store');
    expect((await t.anonymous.graphql(PREVIEW_QUERY, { token: short.token })).data.preview).toBeNull();
    expect((await t.anonymous.get(long.url)).status).toBe(200);

    expect((await t.editor.delete(`/api/v1/articles/${draft.id}/preview-links`)).status).toBe(204);
    expectProblem(await t.anonymous.get(long.url), 404);
    expect((await t.anonymous.graphql(PREVIEW_QUERY, { token: long.token })).data.preview).toBeNull();

    expectProblem(await t.anonymous.get(`/api/v1/preview/${'A'.repeat(43)}`), 404);
    expectProblem(await t.anonymous.get('/api/v1/preview/short'), 404);
  });

  it('lasts at most 7 days; making and revoking links needs a key and is audited', async () => {
    const draft = await anArticle(t);
    expectProblem(
      await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, { expiresIn: 7 * 86_400 + 1 }),
      400,
    );
    expectProblem(await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, { expiresIn: 0 }), 400);
    expectProblem(await t.anonymous.post(`/api/v1/articles/${draft.id}/preview-links`, {}), 401);
    const link = await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, { expiresIn: 7 * 86_400 });
    expect(link.status).toBe(201);
    await t.editor.delete(`/api/v1/articles/${draft.id}/preview-links`);
    const audit = await t.admin.get(`/api/v1/audit?entityType=article&entityId=${draft.id}`);
    const actions = audit.body.data.map((r: { action: string }) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['article.preview-link.create', 'article.preview-link.revoke']),
    );
    expect(audit.text).not.toContain(link.body.token);
  });

  it('a trashed article has no preview', async () => {
    const draft = await anArticle(t);
    const link = (await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, {})).body;
    await t.editor.delete(`/api/v1/articles/${draft.id}`);
    expectProblem(await t.anonymous.get(link.url), 404);
  });
});
