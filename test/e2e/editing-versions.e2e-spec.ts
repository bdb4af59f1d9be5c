/**
 * Issue 18, acceptance 1: no lost edits. Every article has a version; editors' answers carry it as
 * their ETag; a write sent with a stale If-Match (GraphQL expectedVersion) is refused with the
 * current version and stores nothing.
 */
import fc from 'fast-check';
import { HttpClient, expectProblem } from '../support/http-client';
import { anArticle } from '../support/article-factory';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const ifMatch = (version: number | string) => ({ 'if-match': `"${version}"` });

describe('Article versions and conditional writes', () => {
  let t: TestApp;
  let second: HttpClient;
  beforeAll(async () => {
    t = await startTestApp();
    const key = await t.admin.post('/api/v1/api-keys', { name: unique('second editor'), role: 'editor' });
    second = new HttpClient(t.url, key.body.key);
  });
  afterAll(() => t.close());

  /** An article brought to version 3 by two stored changes. */
  async function atVersionThree() {
    const a = await anArticle(t);
    expect(a.version).toBe(1);
    await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'First change' });
    const three = await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'Second change' });
    expect(three.body.version).toBe(3);
    return three.body;
  }

  it('a version starts at 1, grows by one per stored change, and is the ETag of editors’ answers', async () => {
    const a = await anArticle(t, { title: unique('Council votes') });
    const read = await t.editor.get(`/api/v1/articles/${a.slug}`);
    expect(read.body.version).toBe(1);
    expect(read.headers.get('etag')).toBe('"1"');

    const changed = await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'A late amendment' });
    expect(changed.body.version).toBe(2);
    expect(changed.headers.get('etag')).toBe('"2"');
    // Nothing changed, nothing stored: the version stays.
    const same = await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'A late amendment' });
    expect(same.body.version).toBe(2);

    const live = await t.editor.post(`/api/v1/articles/${a.id}/publish`);
    expect(live.body.version).toBe(3);
    expect(live.headers.get('etag')).toBe('"3"');
    const gql = await t.editor.graphql(`query($id: ID) { article(id: $id) { version } }`, { id: a.id });
    expect(gql.data.article.version).toBe(3);

    // The public reads the version too, but its ETag is the cache's, over the bytes it gets.
    const pub = await t.anonymous.get(`/api/v1/articles/${a.slug}`);
    expect(pub.body.version).toBe(3);
    expect(pub.headers.get('etag')).not.toBe('"3"');
  });

  it('two editors load version 3; the first saves (4); the second’s save with If-Match "3" is 412 and stores nothing', async () => {
    const a = await atVersionThree();
    const first = await t.editor.request(
      'PATCH',
      `/api/v1/articles/${a.id}`,
      { title: 'First editor' },
      ifMatch(3),
    );
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(4);

    const late = await second.request(
      'PATCH',
      `/api/v1/articles/${a.id}`,
      { title: 'Second editor', subtitle: 'Lost?' },
      ifMatch(3),
    );
    expectProblem(late, 412);
    expect(late.body).toMatchObject({ status: 412, currentVersion: 4 });

    const now = await t.editor.get(`/api/v1/articles/${a.id}`);
    expect(now.body).toMatchObject({ version: 4, title: 'First editor', subtitle: 'Second change' });
    const revisions = await t.editor.get(`/api/v1/articles/${a.id}/revisions`);
    expect(revisions.body.data).toHaveLength(3);
    const audit = await t.admin.get(`/api/v1/audit?entityType=article&entityId=${a.id}`);
    expect(audit.body.data.map((r: { actor: { name: string } }) => r.actor.name)).not.toContain(
      expect.stringContaining('second editor'),
    );

    // The second editor reloads and saves on version 4.
    const retried = await second.request(
      'PATCH',
      `/api/v1/articles/${a.id}`,
      { subtitle: 'Merged' },
      ifMatch(4),
    );
    expect(retried.body.version).toBe(5);
  });

  it('the same in GraphQL: expectedVersion beside id, CONFLICT with extensions.currentVersion', async () => {
    const a = await atVersionThree();
    const update = `mutation($id: ID!, $v: Int, $title: String) {
      updateArticle(id: $id, expectedVersion: $v, input: { title: $title }) { version title } }`;
    const first = await t.editor.graphql(update, { id: a.id, v: 3, title: 'First editor' });
    expect(first.data.updateArticle).toEqual({ version: 4, title: 'First editor' });

    const late = await second.graphql(update, { id: a.id, v: 3, title: 'Second editor' });
    expect(late.data).toBeNull();
    expect(late.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 4 });
    const now = await t.editor.graphql(`query($id: ID) { article(id: $id) { version title } }`, { id: a.id });
    expect(now.data.article).toEqual({ version: 4, title: 'First editor' });

    for (const [mutation, extra] of [
      ['publishArticle', ''],
      ['unpublishArticle', ''],
      ['deleteArticle', ''],
      ['restoreArticle', ''],
    ] as const) {
      const stale = await t.editor.graphql(
        `mutation($id: ID!) { ${mutation}(id: $id, expectedVersion: 3${extra}) ${mutation === 'deleteArticle' ? '' : '{ version }'} }`,
        { id: a.id },
      );
      expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 4 });
    }
    const published = await t.editor.graphql(
      `mutation($id: ID!) { publishArticle(id: $id, expectedVersion: 4) { version status } }`,
      { id: a.id },
    );
    expect(published.data.publishArticle).toEqual({ version: 5, status: 'published' });
  });

  it('publish, unpublish, delete, restore and revision restore honour If-Match; without it they still work', async () => {
    const a = await atVersionThree();
    const path = `/api/v1/articles/${a.id}`;
    const revisionId = (await t.editor.get(`${path}/revisions`)).body.data[0].id;
    const attempts: [string, string, unknown?][] = [
      ['POST', `${path}/publish`, {}],
      ['POST', `${path}/unpublish`, {}],
      ['DELETE', path],
      ['POST', `${path}/restore`, {}],
      ['POST', `${path}/revisions/${revisionId}/restore`, {}],
    ];
    let version = 3;
    for (const [method, url, body] of attempts) {
      const stale = await t.editor.request(method, url, body, ifMatch(version - 1));
      expectProblem(stale, 412);
      expect(stale.body.currentVersion).toBe(version);
      const fresh = await t.editor.request(method, url, body, ifMatch(version));
      expect(fresh.status).toBe(method === 'DELETE' ? 204 : 200);
      version += 1;
      if (method !== 'DELETE') expect(fresh.body.version).toBe(version);
    }
    // Scripts send no If-Match: the write is unconditional.
    const plain = await t.editor.patch(path, { subtitle: 'From a script' });
    expect(plain.body.version).toBe(version + 1);
    // `*` matches any version.
    const any = await t.editor.request('PATCH', path, { subtitle: 'Any version' }, { 'if-match': '*' });
    expect(any.body.version).toBe(version + 2);
  });

  it('an If-Match that names no version is 400, and an unknown article stays 404', async () => {
    const a = await anArticle(t);
    const bad = await t.editor.request(
      'PATCH',
      `/api/v1/articles/${a.id}`,
      { title: 'x' },
      { 'if-match': 'three' },
    );
    expectProblem(bad, 400);
    expect(bad.body.errors).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
    expect((await t.editor.get(`/api/v1/articles/${a.id}`)).body.version).toBe(1);
    expectProblem(
      await t.editor.request('PATCH', `/api/v1/articles/${unique('none')}`, { title: 'x' }, ifMatch(1)),
      404,
    );
  });

  it('concurrent conditional writes over HTTP: exactly one wins per version', async () => {
    const a = await anArticle(t);
    const path = `/api/v1/articles/${a.id}`;
    const clients = [t.editor, second, t.admin];
    let version = 1;
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        // Each round: how many writers race, and which of them write a field other than the title.
        fc.array(fc.boolean(), { minLength: 2, maxLength: 8 }),
        async (writers) => {
          round += 1;
          const answers = await Promise.all(
            writers.map((subtitleToo, i) =>
              clients[i % clients.length].request(
                'PATCH',
                path,
                { title: `Round ${round} writer ${i}`, ...(subtitleToo ? { subtitle: `by ${i}` } : {}) },
                ifMatch(version),
              ),
            ),
          );
          const won = answers.filter((r) => r.status === 200);
          const refused = answers.filter((r) => r.status === 412);
          expect(won).toHaveLength(1);
          expect(refused).toHaveLength(writers.length - 1);
          for (const r of refused) expect(r.body.currentVersion).toBe(version + 1);
          const stored = await t.editor.get(path);
          expect(stored.body.version).toBe(version + 1);
          expect(stored.body.title).toBe(won[0].body.title);
          version += 1;
        },
      ),
      { numRuns: 25 },
    );
    const revisions = await t.editor.get(`${path}/revisions`);
    expect(revisions.body.data).toHaveLength(version - 1);
  });
});
