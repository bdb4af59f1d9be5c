import { HttpClient, expectProblem } from '../support/http-client';
import { anArticle } from '../support/article-factory';
import { ndjson, postImport } from '../support/imports';
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

  it('while another key holds the lease every write is 423 and stores nothing; the holder writes; release or expiry frees it', async () => {
    const a = await anArticle(t);
    const path = `/api/v1/articles/${a.id}`;
    t.clock.set(Date.now());
    const held = await other.post(`${path}/lock`);

    const refused = await t.editor.patch(path, { title: 'Over the lease' });
    expectProblem(refused, 423);
    expect(refused.body).toMatchObject({ lockedBy: held.body.by, lockedUntil: held.body.until });
    for (const [method, url] of [
      ['POST', `${path}/publish`],
      ['POST', `${path}/unpublish`],
      ['DELETE', path],
    ] as const)
      expectProblem(await t.editor.request(method, url, method === 'DELETE' ? undefined : {}), 423);
    const gql = await t.editor.graphql(
      `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Over the lease" }) { title } }`,
      { id: a.id },
    );
    expect(gql.errors?.[0].extensions).toMatchObject({
      code: 'CONFLICT',
      lockedBy: held.body.by,
      lockedUntil: held.body.until,
    });
    const untouched = await t.editor.get(path);
    expect(untouched.body).toMatchObject({ title: a.title, version: 1, status: 'draft' });

    // The holder's writes pass, conditional or not.
    const mine = await other.request('PATCH', path, { subtitle: 'From the desk' }, { 'if-match': '"1"' });
    expect(mine.status).toBe(200);
    expect(mine.body.version).toBe(2);

    // Released: the others write again.
    await other.delete(`${path}/lock`);
    expect((await t.editor.patch(path, { subtitle: 'After release' })).status).toBe(200);

    // Expired: a lease not renewed for 2 minutes no longer blocks.
    await other.post(`${path}/lock`);
    expectProblem(await t.editor.patch(path, { subtitle: 'Too soon' }), 423);
    t.clock.advance(TWO_MINUTES);
    const later = await t.editor.patch(path, { subtitle: 'After expiry' });
    expect(later.status).toBe(200);
    expect(later.body.subtitle).toBe('After expiry');
  });

  it('an import line that would change a leased story fails with the lease as its reason; the rest goes on', async () => {
    const leased = await anArticle(t, { externalId: unique('wire-leased') });
    const free = await anArticle(t, { externalId: unique('wire-free') });
    await other.post(`/api/v1/articles/${leased.id}/lock`);
    const fresh = unique('wire-new');
    const res = await postImport(
      t.editor,
      ndjson([
        { externalId: leased.externalId, title: 'Wire rewrite of the leased story' },
        { externalId: free.externalId, title: 'Wire rewrite of the free story' },
        { externalId: fresh, title: 'A new wire story' },
      ]),
      'application/x-ndjson',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, updated: 1, failed: 1 });
    expect(res.body.errors).toEqual([
      {
        line: 1,
        externalId: leased.externalId,
        message: expect.stringMatching(/copy desk.* is editing this article until/),
      },
    ]);
    expect((await t.editor.get(`/api/v1/articles/${leased.id}`)).body).toMatchObject({
      title: leased.title,
      version: 1,
    });
    expect((await t.editor.get(`/api/v1/articles/${free.id}`)).body.title).toBe(
      'Wire rewrite of the free story',
    );
  });

  it('an unknown article is 404 and the public cannot take a lease', async () => {
    expectProblem(await t.editor.post(`/api/v1/articles/${unique('nothing')}/lock`), 404);
    const a = await anArticle(t);
    expectProblem(await t.anonymous.post(`/api/v1/articles/${a.id}/lock`), 401);
  });
});
