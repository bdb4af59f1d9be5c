/**
 * Imports as an attack surface. Sources: OWASP API4:2023 Unrestricted Resource Consumption (an
 * XML document that keeps the server busy while it is parsed), OWASP API8:2023 Security
 * Misconfiguration and API3:2023 Broken Object Property Level Authorization (imported values the
 * read side cannot represent; WordPress password-protected posts published to everyone, as the
 * WordPress importers of other CMSs have done).
 */
import { threadId as mainThreadId } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { PARSE_CHANNEL } from '../../src/imports/parsers';
import { attributeFlood } from '../support/hostile-xml';
import { ndjson, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** A WordPress export (WXR 1.2) of these items. */
function wxr(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Gazette</title><wp:wxr_version>1.2</wp:wxr_version>
${items.join('\n')}
</channel></rss>`;
}

function wxrPost(
  guid: string,
  fields: { title: string; status: string; password: string; date?: string },
): string {
  return `<item>
  <title><![CDATA[${fields.title}]]></title>
  <guid isPermaLink="false">${guid}</guid>
  <content:encoded><![CDATA[<p>Members-only text of ${fields.title}.</p>]]></content:encoded>
  <wp:post_date_gmt><![CDATA[${fields.date ?? '2026-11-28 06:00:00'}]]></wp:post_date_gmt>
  <wp:status><![CDATA[${fields.status}]]></wp:status>
  <wp:post_password><![CDATA[${fields.password}]]></wp:post_password>
  <wp:post_type><![CDATA[post]]></wp:post_type>
</item>`;
}

/** The largest value of a GraphQL Int (a signed 32-bit integer). */
const INT_MAX = 2147483647;

describe('Imports that would break the read side', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  const stored = async (externalId: string) =>
    Number((await db.query(`SELECT count(*) AS n FROM articles WHERE external_id = $1`, [externalId]))[0].n);

  it('an imported reaction count over what a GraphQL Int holds fails its line, with the field named, and writes nothing of it; the lists stay up', async () => {
    const run = unique('big-count');
    const line = (n: number, count: number, type = 'veryGood') => ({
      externalId: `${run}-${n}`,
      title: `Counted story ${n} ${run}`,
      bodyText: 'Counted.',
      status: 'published',
      reactions: [{ type, count }],
    });
    const answer = await postImport(
      t.editor,
      ndjson([line(1, INT_MAX + 1), line(2, INT_MAX), line(3, 2 ** 53 - 1)]),
      'application/x-ndjson',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 1, failed: 2 });
    expect(answer.body.errors).toEqual([
      { line: 1, externalId: `${run}-1`, message: expect.stringContaining('reactions.0.count') },
      { line: 3, externalId: `${run}-3`, message: expect.stringContaining('reactions.0.count') },
    ]);
    expect(answer.body.errors[0].message).toContain(String(INT_MAX));
    expect(await stored(`${run}-1`)).toBe(0);
    expect(await stored(`${run}-3`)).toBe(0);

    // The largest count that is accepted reads back whole, in every list.
    const list = await t.anonymous.get(`/api/v1/articles?limit=100`);
    expect(list.status).toBe(200);
    const summary = list.body.data.find((a: { externalId: string }) => a.externalId === `${run}-2`);
    expect(summary.reactions).toEqual([expect.objectContaining({ type: 'veryGood', count: INT_MAX })]);
    const gql = await t.anonymous.graphql(
      `{ articles(first: 100) { edges { node { externalId reactions { count } } } } }`,
    );
    expect(gql.errors).toBeUndefined();
  });

  it('an imported reaction type that is not one of REACTION_TYPES, or one given twice, fails its line and writes nothing', async () => {
    const run = unique('bad-type');
    const line = (n: number, reactions: unknown) => ({
      externalId: `${run}-${n}`,
      title: `Typed story ${n} ${run}`,
      bodyText: 'Typed.',
      status: 'published',
      reactions,
    });
    const answer = await postImport(
      t.editor,
      ndjson([
        line(1, [{ type: 'angry', count: 3 }]),
        line(2, [{ type: 'x'.repeat(40), count: 3 }]),
        line(3, [
          { type: 'veryGood', count: 3 },
          { type: 'veryGood', count: 4 },
        ]),
        line(4, [{ type: 'veryGood', count: 3 }]),
      ]),
      'application/x-ndjson',
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 1, failed: 3 });
    expect(answer.body.errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
      [1, expect.stringMatching(/^reactions\.0\.type: .*veryGood/)],
      [2, expect.stringMatching(/^reactions\.0\.type: /)],
      [3, expect.stringMatching(/^reactions\.1\.type: .*once/)],
    ]);
    for (const n of [1, 2, 3]) expect(await stored(`${run}-${n}`)).toBe(0);
    expect(await stored(`${run}-4`)).toBe(1);
  });

  it('a count already stored beyond what a GraphQL Int holds reads as the largest Int: lists, the article, its reactions and GraphQL answer 200', async () => {
    const run = unique('stored-big');
    const created = await postImport(
      t.editor,
      ndjson([
        {
          externalId: run,
          title: `Stored count ${run}`,
          bodyText: 'Stored.',
          status: 'published',
          reactions: [{ type: 'veryGood', count: 1 }],
        },
      ]),
      'application/x-ndjson',
    );
    expect(created.body).toMatchObject({ created: 1, failed: 0 });
    const [{ id }] = await db.query(`SELECT id FROM articles WHERE external_id = $1`, [run]);
    // Straight into the table (the column is a bigint), as an older import or a script could have.
    await db.query(`UPDATE article_reactions SET count = 9223372036854775806 WHERE article_id = $1`, [id]);
    const expected = [expect.objectContaining({ type: 'veryGood', count: INT_MAX })];

    for (const client of [t.anonymous, t.editor]) {
      const list = await client.get(`/api/v1/articles?limit=100`);
      expect(list.status).toBe(200);
      expect(list.body.data.find((a: { id: string }) => a.id === id).reactions).toEqual(expected);
      const one = await client.get(`/api/v1/articles/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.reactions).toEqual(expected);
    }
    const reactions = await t.anonymous.get(`/api/v1/articles/${id}/reactions`);
    expect(reactions.status).toBe(200);
    expect(reactions.body.reactions).toEqual(expected);

    const gql = await t.anonymous.graphql(
      `query($id: ID) {
         articles(first: 100) { edges { node { id reactions { type count } } } }
         article(id: $id) { reactions { type count } }
       }`,
      { id },
    );
    expect(gql.errors).toBeUndefined();
    const node = gql.data.articles.edges.find((e: { node: { id: string } }) => e.node.id === id).node;
    expect(node.reactions).toEqual(expected);
    expect(gql.data.article.reactions).toEqual(expected);

    // Reactions on top of it still answer, up to bigint's end and past it.
    for (let i = 0; i < 3; i++) {
      const react = await t.anonymous.post(`/api/v1/articles/${id}/reactions`, { type: 'veryGood' });
      expect(react.status).toBe(200);
      expect(react.body.count).toBe(INT_MAX);
    }
  });

  it('a password-protected WordPress post is imported as a draft with its text, never public, and the summary notes each one', async () => {
    const run = unique('wxr-pw');
    const guid = (n: number) => `https://gazette.example.org/?p=${run}-${n}`;
    const open = wxrPost(guid(1), { title: `Open post ${run}`, status: 'publish', password: '' });
    const body = wxr([
      wxrPost(guid(2), { title: `Protected post ${run}`, status: 'publish', password: 'hunter2' }),
      wxrPost(guid(3), {
        title: `Protected future post ${run}`,
        status: 'future',
        password: 'x',
        date: '2020-01-01 00:00:00',
      }),
      open,
    ]);
    const answer = await postImport(t.editor, body, 'application/xml');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 3, failed: 0, errors: [] });
    expect(answer.body.notes).toEqual([
      { line: 1, externalId: guid(2), message: expect.stringContaining('password-protected') },
      { line: 2, externalId: guid(3), message: expect.stringContaining('draft') },
    ]);

    const idOf = async (n: number) =>
      (await db.query(`SELECT id FROM articles WHERE external_id = $1`, [guid(n)]))[0].id as string;
    // Every public article, page by page: the worker's database holds other tests' newer stories.
    const publicList = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.anonymous.get(
          `/api/v1/articles?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        ids.push(...page.body.data.map((a: { id: string }) => a.id));
        cursor = page.body.page.nextCursor;
      } while (cursor);
      return ids;
    };
    for (const n of [2, 3]) {
      const id = await idOf(n);
      expect((await t.anonymous.get(`/api/v1/articles/${id}`)).status).toBe(404);
      const gql = await t.anonymous.graphql(`query($id: ID) { article(id: $id) { id } }`, { id });
      expect(gql.data?.article ?? null).toBeNull();
      const editor = await t.editor.get(`/api/v1/articles/${id}`);
      expect(editor.body).toMatchObject({ status: 'draft' });
      expect(editor.body.bodyText).toContain('Members-only text');
    }
    const listed = await publicList();
    expect(listed).toContain(await idOf(1));
    expect(listed).not.toContain(await idOf(2));
    expect(listed).not.toContain(await idOf(3));

    // The open post given a password in WordPress and exported again: it leaves the public side.
    const again = await postImport(
      t.editor,
      wxr([open.replace('<![CDATA[]]></wp:post_password>', '<![CDATA[secret]]></wp:post_password>')]),
      'application/xml',
    );
    expect(again.body).toMatchObject({ updated: 1, failed: 0 });
    expect(again.body.notes).toEqual([{ line: 1, externalId: guid(1), message: expect.any(String) }]);
    expect((await t.anonymous.get(`/api/v1/articles/${await idOf(1)}`)).status).toBe(404);
    expect(await publicList()).not.toContain(await idOf(1));
  });

  it('a hostile XML document is parsed off the event loop: a health check sent as its parse starts is answered before the parse ends, and the parse ran on another thread', async () => {
    const guid = unique('flood');
    const events: string[] = [];
    const threads: number[] = [];
    let health: Promise<void> | undefined;
    const onParse = (message: unknown) => {
      const m = message as { phase: string; threadId?: number };
      events.push(m.phase);
      if (m.threadId !== undefined) threads.push(m.threadId);
      if (m.phase === 'start')
        health = t.anonymous.get('/health/live').then((r) => void events.push(`health ${r.status}`));
    };
    PARSE_CHANNEL.subscribe(onParse);
    try {
      const answer = await postImport(t.editor, attributeFlood(guid, 800_000), 'application/rss+xml');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ created: 1, failed: 0 });
      await health;
    } finally {
      PARSE_CHANNEL.unsubscribe(onParse);
    }
    // On the event loop, the health check could only be answered once the parse had ended.
    expect(events).toEqual(['start', 'health 200', 'end']);
    expect(threads).toHaveLength(1);
    expect(threads[0]).not.toBe(mainThreadId);
    expect(await stored(guid)).toBe(1);
  });
});

describe('A long import on a connection with a short idle timeout', () => {
  let t: TestApp;
  // Connections idle this long are closed; parsing the document below takes longer than that.
  beforeAll(async () => (t = await startTestApp({ httpConnectionTimeoutMs: 300 })));
  afterAll(() => t.close());

  it('is answered: the connection is not dropped while the server parses and writes, with nothing to send', async () => {
    const guid = unique('slow-parse');
    const answer = await postImport(t.editor, attributeFlood(guid, 800_000), 'application/rss+xml');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 1, failed: 0 });
  });
});
