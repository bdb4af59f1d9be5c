import { Client } from 'pg';
import { Readable } from 'node:stream';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { systemActor } from '../../src/common/auth/actor';
import { ImportService } from '../../src/imports/import.service';
import { ndjson } from '../support/imports';
import { HttpClient, expectProblem } from '../support/http-client';
import { testDatabaseUrl } from '../support/test-database';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** The audit rows of one entity, newest first, as an admin reads them. */
async function auditOf(t: TestApp, entityType: string, entityId: string): Promise<any[]> {
  const res = await t.admin.get(
    `/api/v1/audit?entityType=${entityType}&entityId=${encodeURIComponent(entityId)}`,
  );
  expect(res.status).toBe(200);
  return res.body.data;
}

describe('Audit log', () => {
  let t: TestApp;
  let db: Client;
  let editorKeyId: string;
  beforeAll(async () => {
    t = await startTestApp({ webhookAllowPrivateUrls: true });
    db = new Client({ connectionString: testDatabaseUrl() });
    await db.connect();
    editorKeyId = (await t.dateline.app.get(ApiKeysService).authenticate(t.editorKey))!.keyId;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('records each section write with its actor and request id, over REST and GraphQL', async () => {
    const slug = unique('audited');
    const requestId = unique('req');
    const created = await t.editor.request(
      'POST',
      '/api/v1/sections',
      { slug, name: 'Audited' },
      { 'x-request-id': requestId },
    );
    expect(created.status).toBe(201);
    const gqlRequest = unique('gql');
    const renamed = await t.editor.request(
      'POST',
      '/graphql',
      { query: `mutation { updateSection(id: "${slug}", input: { name: "Renamed" }) { name } }` },
      { 'x-request-id': gqlRequest },
    );
    expect(renamed.body).toEqual({ data: { updateSection: { name: 'Renamed' } } });
    expect((await t.editor.delete(`/api/v1/sections/${slug}`)).status).toBe(204);

    const rows = await auditOf(t, 'section', created.body.id);
    expect(rows.map((r) => r.action)).toEqual(['section.delete', 'section.update', 'section.create']);
    expect(rows[2]).toEqual({
      id: expect.any(String),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor: { type: 'key', id: editorKeyId, name: 'test editor', role: 'editor' },
      action: 'section.create',
      entityType: 'section',
      entityId: created.body.id,
      requestId,
      summary: expect.stringContaining(slug),
    });
    expect(rows[1].requestId).toBe(gqlRequest);
  });

  it('records every stored article write with its actor and request id: REST, GraphQL and imports', async () => {
    const ids: string[] = [];
    const rid = (name: string) => {
      ids.push(unique(name));
      return { 'x-request-id': ids[ids.length - 1] };
    };
    const externalId = unique('wire');
    const created = await t.editor.request(
      'POST',
      '/api/v1/articles',
      { title: 'Audited story', externalId, bodyText: 'First words.' },
      rid('create'),
    );
    const path = `/api/v1/articles/${created.body.id}`;
    await t.editor.request('PATCH', path, { subtitle: 'A subtitle', bodyText: 'New words.' }, rid('update'));
    // The same fields again store nothing and record nothing.
    await t.editor.request('PATCH', path, { subtitle: 'A subtitle' }, { 'x-request-id': unique('same') });
    await t.editor.request('POST', `${path}/publish`, {}, rid('publish'));
    const unpublished = await t.editor.request(
      'POST',
      '/graphql',
      { query: `mutation { unpublishArticle(id: "${created.body.id}") { status } }` },
      rid('unpublish'),
    );
    expect(unpublished.body.data.unpublishArticle.status).toBe('draft');
    await t.editor.request('DELETE', path, undefined, rid('delete'));
    await t.editor.request('POST', `${path}/restore`, {}, rid('restore'));
    const imported = await t.editor.request(
      'POST',
      '/api/v1/imports',
      ndjson([{ externalId, title: 'Audited story, from the wire', status: 'draft' }]),
      { 'content-type': 'application/x-ndjson', ...rid('import') },
    );
    expect(imported.body).toMatchObject({ updated: 1, failed: 0 });

    const rows = await auditOf(t, 'article', created.body.id);
    expect(rows.map((r) => r.action)).toEqual([
      'article.update',
      'article.restore',
      'article.delete',
      'article.unpublish',
      'article.publish',
      'article.update',
      'article.create',
    ]);
    expect(rows.map((r) => r.requestId)).toEqual([...ids].reverse());
    for (const r of rows)
      expect(r.actor).toEqual({ type: 'key', id: editorKeyId, name: 'test editor', role: 'editor' });
    expect(rows[5].summary).toMatch(/subtitle.*body|body.*subtitle/);
    expect(rows[0].summary).toContain('title');

    // The command line imports as the system, with no key and no request.
    const cli = await t.dateline.app
      .get(ImportService)
      .run(Readable.from([ndjson([{ externalId, title: 'Audited story, once more', status: 'draft' }])]), {
        format: 'ndjson',
        actor: systemActor('command line'),
      });
    expect(cli.updated).toBe(1);
    expect((await auditOf(t, 'article', created.body.id))[0]).toMatchObject({
      action: 'article.update',
      actor: { type: 'system', id: null, name: 'command line', role: null },
      requestId: null,
    });
  });

  it('Article.history lists the article’s audit rows newest first, for editors only', async () => {
    const a = await t.editor.post('/api/v1/articles', { title: 'Story with a past', bodyText: 'Words.' });
    await t.editor.post(`/api/v1/articles/${a.body.id}/publish`, {});
    const query = `query($id: ID) { article(id: $id) { history(first: 5) { action actor { name } requestId summary } } }`;
    const seen = await t.editor.graphql(query, { id: a.body.id });
    expect(seen.data.article.history).toEqual([
      expect.objectContaining({ action: 'article.publish', actor: { name: 'test editor' } }),
      expect.objectContaining({
        action: 'article.create',
        summary: expect.stringContaining('Story with a past'),
      }),
    ]);
    const key = await t.admin.post('/api/v1/api-keys', { name: unique('stringer'), role: 'contributor' });
    const contributor = new HttpClient(t.url, key.body.key);
    const refused = await contributor.graphql(query, { id: a.body.id });
    expect(refused.data.article.history).toBeNull();
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await t.anonymous.graphql(query, { id: a.body.id });
    expect(anonymous.data.article.history).toBeNull();
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('records curated rankings, API keys and webhooks', async () => {
    const slug = unique('picks');
    expect((await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'Picks', articles: [] })).status).toBe(
      200,
    );
    expect(
      (await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'Top picks', articles: [] })).status,
    ).toBe(200);
    // The same list again changes nothing and records nothing.
    expect(
      (await t.editor.put(`/api/v1/rankings/${slug}`, { title: 'Top picks', articles: [] })).status,
    ).toBe(200);
    expect((await auditOf(t, 'ranking', slug)).map((r) => r.action)).toEqual([
      'ranking.update',
      'ranking.create',
    ]);

    const key = await t.admin.post('/api/v1/api-keys', { name: unique('desk'), role: 'contributor' });
    expect(key.status).toBe(201);
    expect((await t.admin.delete(`/api/v1/api-keys/${key.body.id}`)).status).toBe(204);
    const keyRows = await auditOf(t, 'api-key', key.body.id);
    expect(keyRows.map((r) => r.action)).toEqual(['api-key.revoke', 'api-key.create']);
    expect(keyRows[1].actor).toMatchObject({ type: 'key', name: 'test admin', role: 'admin' });
    expect(JSON.stringify(keyRows)).not.toContain(key.body.key);

    const hook = await t.admin.post('/api/v1/webhooks', {
      url: 'http://127.0.0.1:9/dateline',
      events: ['article.published'],
      secret: 'whsec_' + Buffer.alloc(32, 7).toString('base64'),
    });
    expect(hook.status).toBe(201);
    expect((await t.admin.delete(`/api/v1/webhooks/${hook.body.id}`)).status).toBe(204);
    expect((await auditOf(t, 'webhook', hook.body.id)).map((r) => r.action)).toEqual([
      'webhook.delete',
      'webhook.create',
    ]);
  });

  it('a refused write stores no audit row', async () => {
    const slug = unique('taken');
    const first = await t.editor.post('/api/v1/sections', { slug, name: 'Taken' });
    expectProblem(await t.editor.post('/api/v1/sections', { slug, name: 'Again' }), 409);
    expectProblem(await t.editor.patch(`/api/v1/sections/${slug}`, { parent: slug }), 400);
    const res = await t.admin.get(`/api/v1/audit?entityType=section&entityId=${first.body.id}`);
    expect(res.body.data.map((r: any) => r.action)).toEqual(['section.create']);
  });

  it('pages newest first with a cursor and filters by actor, action and time', async () => {
    const name = unique('pager');
    const key = await t.admin.post('/api/v1/api-keys', { name, role: 'editor' });
    const pager = new HttpClient(t.url, key.body.key);
    const since = new Date().toISOString();
    const slugs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const slug = unique(`page-${i}`);
      slugs.push(slug);
      expect((await pager.post('/api/v1/sections', { slug, name: `Page ${i}` })).status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.admin.get(
        `/api/v1/audit?actor=${key.body.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.page.limit).toBe(2);
      seen.push(...page.body.data.map((r: any) => r.summary));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(seen.map((s) => slugs.find((slug) => s.includes(slug)))).toEqual([...slugs].reverse());

    const byName = await t.admin.get(
      `/api/v1/audit?actor=${encodeURIComponent(name)}&action=section.create&since=${since}`,
    );
    expect(byName.body.data).toHaveLength(5);
    const future = await t.admin.get(
      `/api/v1/audit?actor=${key.body.id}&since=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(future.body.data).toEqual([]);
    expectProblem(await t.admin.get('/api/v1/audit?cursor=bm9wZQ'), 400);
    expectProblem(await t.admin.get('/api/v1/audit?since=yesterday'), 400);
  });

  it('is for admins only', async () => {
    expectProblem(await t.anonymous.get('/api/v1/audit'), 401);
    expectProblem(await t.editor.get('/api/v1/audit'), 403);
  });

  describe('is append-only in the database itself, even for a superuser', () => {
    let recentId: string;
    beforeAll(async () => {
      const slug = unique('sealed');
      await t.editor.post('/api/v1/sections', { slug, name: 'Sealed' });
      const rows = (await t.admin.get(`/api/v1/audit?action=section.create&limit=1`)).body.data;
      recentId = rows[0].id;
      const me = await db.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
      expect(me.rows[0].rolsuper).toBe(true);
    });

    it('refuses every UPDATE', async () => {
      await expect(
        db.query(`UPDATE audit_log SET actor_name = 'nobody' WHERE id = $1`, [recentId]),
      ).rejects.toThrow(/append-only/);
      await expect(db.query(`UPDATE audit_log SET actor_name = 'nobody'`)).rejects.toThrow(/append-only/);
    });

    it('refuses to DELETE or TRUNCATE recent rows, also with triggers switched off for replication', async () => {
      await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [recentId])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      await db.query('BEGIN');
      try {
        await db.query(`SET LOCAL session_replication_role = replica`);
        await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [recentId])).rejects.toThrow(
          /append-only/,
        );
      } finally {
        await db.query('ROLLBACK');
      }
      const still = await db.query(`SELECT actor_name FROM audit_log WHERE id = $1`, [recentId]);
      expect(still.rows).toHaveLength(1);
    });

    it('lets rows older than AUDIT_RETENTION_DAYS be deleted, and nothing else', async () => {
      const old = await db.query(
        `INSERT INTO audit_log (at, actor_type, actor_name, action, entity_type, entity_id)
         VALUES (now() - interval '366 days', 'system', 'archive', 'section.create', 'section', $1) RETURNING id`,
        [unique('old')],
      );
      await expect(
        db.query(`UPDATE audit_log SET actor_name = 'x' WHERE id = $1`, [old.rows[0].id]),
      ).rejects.toThrow(/append-only/);
      const gone = await db.query(`DELETE FROM audit_log WHERE id = $1`, [old.rows[0].id]);
      expect(gone.rowCount).toBe(1);
    });
  });
});
