/**
 * Issue 18, acceptance 3: a published story's working copy is invisible to REST, GraphQL, lists,
 * feeds, search, related stories and webhooks until it is published; publishing it makes one new
 * version and one article.updated.
 */
import { Client } from 'pg';
import { HttpClient, expectProblem } from '../support/http-client';
import { anArticle } from '../support/article-factory';
import { testDatabaseUrl } from '../support/test-database';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** A word no other story uses (letters only, so full-text search keeps it whole). */
const rareWord = () =>
  `quokka${unique('')
    .replace(/[^a-z]/g, '')
    .slice(0, 10)}`;

describe('Working copies of published stories', () => {
  let t: TestApp;
  let db: Client;
  let contributor: HttpClient;
  let other: HttpClient;
  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    const c = await t.admin.post('/api/v1/api-keys', { name: unique('stringer'), role: 'contributor' });
    contributor = new HttpClient(t.url, c.body.key);
    const o = await t.admin.post('/api/v1/api-keys', { name: unique('copy desk'), role: 'editor' });
    other = new HttpClient(t.url, o.body.key);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** The webhook events recorded for an article, oldest first. */
  async function eventsOf(id: string): Promise<string[]> {
    const r = await db.query(`SELECT event FROM outbox_events WHERE article_id = $1 ORDER BY id`, [id]);
    return r.rows.map((row: { event: string }) => row.event);
  }

  it('stays invisible everywhere readers look until publish makes it live: one new version, one article.updated', async () => {
    const word = rareWord();
    const live = await anArticle(t, { title: unique('Harbour reopens'), status: 'published' });
    const path = `/api/v1/articles/${live.id}`;
    const eventsBefore = await eventsOf(live.id);

    const saved = await t.editor.put(`${path}/draft`, {
      title: `Harbour reopens ${word}`,
      bodyText: `The ${word} ferry left at dawn.\n\nMore boats follow.`,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: live.id, title: `Harbour reopens ${word}`, version: 1 });
    expect(saved.body.bodyHtml).toContain(word);
    expect(saved.headers.get('etag')).toBe('"1"');
    const again = await t.editor.request(
      'PUT',
      `${path}/draft`,
      { subtitle: 'Second pass' },
      { 'if-match': '"1"' },
    );
    expect(again.body).toMatchObject({
      version: 2,
      subtitle: 'Second pass',
      title: `Harbour reopens ${word}`,
    });
    const stale = await other.request('PUT', `${path}/draft`, { subtitle: 'Lost?' }, { 'if-match': '"1"' });
    expectProblem(stale, 412);
    expect(stale.body.currentVersion).toBe(2);
    const read = await t.editor.get(`${path}/draft`);
    expect(read.body).toMatchObject({ version: 2, subtitle: 'Second pass' });
    expect(read.headers.get('etag')).toBe('"2"');

    // Nobody but editors sees it: the story, lists, search, feeds, related and GraphQL show the live one.
    const editorsArticle = await t.editor.get(path);
    expect(editorsArticle.body).toMatchObject({ title: live.title, version: live.version });
    expect((await t.anonymous.get(`/api/v1/articles/${live.slug}`)).body.title).toBe(live.title);
    expect((await t.anonymous.get(`/api/v1/articles?q=${word}`)).body.data).toEqual([]);
    const list = await t.anonymous.get('/api/v1/articles?limit=100');
    expect(list.text).not.toContain(word);
    expect((await t.anonymous.get('/api/v1/feeds/latest.json')).text).not.toContain(word);
    const related = await t.anonymous.get(`/api/v1/articles/${live.slug}/related`);
    expect(related.status).toBe(200);
    expect(related.text).not.toContain(word);
    const query = `query($slug: String) { article(slug: $slug) { title version draft { title version } } }`;
    expect((await t.anonymous.graphql(query, { slug: live.slug })).data.article).toEqual({
      title: live.title,
      version: live.version,
      draft: null,
    });
    expect((await t.editor.graphql(query, { slug: live.slug })).data.article).toEqual({
      title: live.title,
      version: live.version,
      draft: { title: `Harbour reopens ${word}`, version: 2 },
    });
    expect(await eventsOf(live.id)).toEqual(eventsBefore);

    // A preview link shows the working copy.
    const link = await t.editor.post(`${path}/preview-links`, {});
    const preview = await t.anonymous.get(`/api/v1/preview/${link.body.token}`);
    expect(preview.body).toMatchObject({ title: `Harbour reopens ${word}`, subtitle: 'Second pass' });

    // Publishing makes it live: one new version, one article.updated, and the working copy is gone.
    const published = await t.editor.post(`${path}/publish`, {});
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      title: `Harbour reopens ${word}`,
      subtitle: 'Second pass',
      status: 'published',
      publishedAt: live.publishedAt,
      version: live.version + 1,
    });
    expect(await eventsOf(live.id)).toEqual([...eventsBefore, 'article.updated']);
    expectProblem(await t.editor.get(`${path}/draft`), 404);
    expect((await t.anonymous.get(`/api/v1/articles/${live.slug}`)).body.title).toBe(
      `Harbour reopens ${word}`,
    );
    const found = await t.anonymous.get(`/api/v1/articles?q=${word}`);
    expect(found.body.data.map((a: { id: string }) => a.id)).toEqual([live.id]);

    const audit = await t.admin.get(`/api/v1/audit?entityType=article&entityId=${live.id}`);
    expect(audit.body.data.map((r: { action: string }) => r.action).slice(0, 4)).toEqual([
      'article.update',
      'article.preview-link.create',
      'article.draft.save',
      'article.draft.save',
    ]);
  });

  it('GraphQL saveDraft and discardDraft; a discarded copy leaves the story as it was', async () => {
    const live = await anArticle(t, { status: 'published' });
    const save = `mutation($id: ID!, $v: Int) {
      saveDraft(id: $id, expectedVersion: $v, input: { subtitle: "Pending" }) { version subtitle } }`;
    expect((await t.editor.graphql(save, { id: live.id })).data.saveDraft).toEqual({
      version: 1,
      subtitle: 'Pending',
    });
    const stale = await t.editor.graphql(save, { id: live.id, v: 7 });
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    const discard = `mutation($id: ID!) { discardDraft(id: $id) }`;
    expect((await t.editor.graphql(discard, { id: live.id })).data.discardDraft).toBe(true);
    expect((await t.editor.graphql(discard, { id: live.id })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const now = await t.editor.get(`/api/v1/articles/${live.id}`);
    expect(now.body).toMatchObject({ subtitle: live.subtitle, version: live.version });

    // REST alike.
    await t.editor.put(`/api/v1/articles/${live.id}/draft`, { title: 'Pending title' });
    expect((await t.editor.delete(`/api/v1/articles/${live.id}/draft`)).status).toBe(204);
    expectProblem(await t.editor.get(`/api/v1/articles/${live.id}/draft`), 404);
  });

  it('a contributor edits the working copy of a published story but cannot publish it; a lease holds others off', async () => {
    const live = await anArticle(t, { status: 'published' });
    const path = `/api/v1/articles/${live.id}`;
    const saved = await contributor.put(`${path}/draft`, { title: 'A stringer’s rewrite' });
    expect(saved.status).toBe(200);
    expectProblem(await contributor.post(`${path}/publish`, {}), 403);
    expectProblem(await contributor.put(`${path}/draft`, { status: 'published' }), 400);

    await other.post(`${path}/lock`);
    const locked = await contributor.put(`${path}/draft`, { title: 'Over the lease' });
    expectProblem(locked, 423);
    expectProblem(await t.editor.delete(`${path}/draft`), 423);
    await other.delete(`${path}/lock`);
    expect((await t.editor.post(`${path}/publish`, {})).body.title).toBe('A stringer’s rewrite');
  });
});
