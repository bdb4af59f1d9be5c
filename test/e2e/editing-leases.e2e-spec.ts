import { HttpClient, expectProblem } from '../support/http-client';
import { anArticle } from '../support/article-factory';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const TWO_MINUTES = 2 * 60_000;

describe('Edit leases', () => {
  let t: TestApp;
  let other: HttpClient;
  let otherId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const key = await t.admin.post('/api/v1/api-keys', { name: unique('copy desk'), role: 'editor' });
    other = new HttpClient(t.url, key.body.key);
    otherId = key.body.id;
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.reset());

  it('a lease is taken for 2 minutes, renewed by taking it again, and shown to editors only', async () => {
    const a = await anArticle(t, { status: 'published' });
    t.clock.set(Date.now());
    const taken = await other.post(`/api/v1/articles/${a.slug}/lock`);
    expect(taken.status).toBe(200);
    expect(taken.body).toEqual({
      by: { id: otherId, name: expect.stringContaining('copy desk') },
      until: new Date(t.clock.now() + TWO_MINUTES).toISOString(),
    });
    t.clock.advance(60_000);
    const renewed = await other.post(`/api/v1/articles/${a.id}/lock`);
    expect(renewed.body.until).toBe(new Date(t.clock.now() + TWO_MINUTES).toISOString());

    expect((await t.editor.get(`/api/v1/articles/${a.slug}`)).body.lock).toEqual(renewed.body);
    const publicAnswer = await t.anonymous.get(`/api/v1/articles/${a.slug}`);
    expect(publicAnswer.status).toBe(200);
    expect(publicAnswer.body).not.toHaveProperty('lock');

    const query = `query($slug: String) { article(slug: $slug) { lock { by { id name } until } } }`;
    expect((await t.editor.graphql(query, { slug: a.slug })).data.article.lock).toEqual(renewed.body);
    expect((await t.anonymous.graphql(query, { slug: a.slug })).data.article.lock).toBeNull();

    expect((await other.delete(`/api/v1/articles/${a.slug}/lock`)).status).toBe(204);
    expect((await t.editor.get(`/api/v1/articles/${a.slug}`)).body.lock).toBeNull();
  });

  it('another key cannot take a held lease (423 with lockedBy and lockedUntil) until it expires', async () => {
    const a = await anArticle(t);
    t.clock.set(Date.now());
    const held = await other.post(`/api/v1/articles/${a.id}/lock`);
    const refused = await t.editor.post(`/api/v1/articles/${a.id}/lock`);
    expectProblem(refused, 423);
    expect(refused.body).toMatchObject({ lockedBy: held.body.by, lockedUntil: held.body.until });
    expectProblem(await t.editor.delete(`/api/v1/articles/${a.id}/lock`), 423);

    t.clock.passTo(held.body.until);
    const mine = await t.editor.post(`/api/v1/articles/${a.id}/lock`);
    expect(mine.status).toBe(200);
    expect(mine.body.by.name).toBe('test editor');
  });

  it('an admin breaks a lease with force=true, and the audit log records it; an editor may not force', async () => {
    const a = await anArticle(t);
    await other.post(`/api/v1/articles/${a.id}/lock`);
    expectProblem(await t.editor.delete(`/api/v1/articles/${a.id}/lock?force=true`), 403);
    const requestId = unique('break');
    const broken = await t.admin.request('DELETE', `/api/v1/articles/${a.id}/lock?force=true`, undefined, {
      'x-request-id': requestId,
    });
    expect(broken.status).toBe(204);
    expect((await t.editor.get(`/api/v1/articles/${a.id}`)).body.lock).toBeNull();

    await other.post(`/api/v1/articles/${a.id}/lock`);
    const takenOver = await t.admin.post(`/api/v1/articles/${a.id}/lock?force=true`);
    expect(takenOver.status).toBe(200);
    expect(takenOver.body.by.name).toBe('test admin');

    const audit = await t.admin.get(
      `/api/v1/audit?entityType=article&entityId=${a.id}&action=article.lock.break`,
    );
    expect(audit.body.data).toHaveLength(2);
    expect(audit.body.data[1]).toMatchObject({
      actor: { type: 'key', name: 'test admin', role: 'admin' },
      requestId,
      summary: expect.stringContaining('copy desk'),
    });
  });

  it('an unknown article is 404 and the public cannot take a lease', async () => {
    expectProblem(await t.editor.post(`/api/v1/articles/${unique('nothing')}/lock`), 404);
    const a = await anArticle(t);
    expectProblem(await t.anonymous.post(`/api/v1/articles/${a.id}/lock`), 401);
  });
});
