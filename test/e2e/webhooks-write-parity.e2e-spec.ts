import { DataSource } from 'typeorm';
import { aSection } from '../support/article-factory';
import { ndjson, NDJSON, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { Receiver, newSecret, waitFor } from '../support/webhook-receiver';

/**
 * Issue 16, acceptance 1 (events): the same article writes sent through REST, GraphQL and an
 * NDJSON import give the same webhook deliveries — event names, payloads, and for a scheduled
 * article the time its `article.published` becomes due (read from the outbox row, not waited
 * for). A scheduled event cancelled by a later write is never delivered.
 */

type Fields = Record<string, unknown>;
interface Case {
  name: string;
  create: Fields;
  update?: Fields;
  /** Import lines only: the key the re-import upserts by (externalId, or the slug when absent). */
  externalId?: boolean;
}

const CASES = (at: string): Case[] => [
  { name: 'plain', create: { status: 'published' }, update: { title: 'Tide plain, revised' } },
  { name: 'scheduled', create: { status: 'scheduled', publishedAt: at }, externalId: true },
  {
    name: 'published-to-draft',
    create: { status: 'published' },
    update: { status: 'draft' },
    externalId: true,
  },
  {
    name: 'scheduled-to-draft',
    create: { status: 'scheduled', publishedAt: at },
    update: { status: 'draft' },
  },
];

interface Trace {
  delivered: { event: string; data: Fields }[];
  waiting: { event: string; availableAt: string; data: Fields }[];
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Webhooks: REST, GraphQL and imports turn the same writes into the same events', () => {
  let t: TestApp;
  let receiver: Receiver;
  let hookId: string;
  let section: string;
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp({
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 100,
    });
    db = t.dateline.app.get(DataSource);
    const secret = newSecret();
    receiver = await new Receiver(undefined, secret).start();
    const res = await t.admin.post('/api/v1/webhooks', {
      url: receiver.url,
      events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'],
      secret,
    });
    expect(res.status).toBe(201);
    hookId = res.body.id;
    section = await aSection(t, 'Coast');
  });
  afterAll(async () => {
    await t.admin.delete(`/api/v1/webhooks/${hookId}`);
    await receiver.close();
    await t.close();
  });

  const base = (prefix: string, c: Case): Fields => ({
    slug: `${prefix}-${c.name}`,
    title: `Tide ${c.name}`,
    bodyText: 'Wind and tide.',
    section,
  });

  /** What the receiver got about one article once nothing is due, and what still waits. */
  async function traceOf(id: string, prefix: string, at: string): Promise<Trace> {
    await waitFor('the outbox to drain', async () => {
      const [row] = await db.query(
        `SELECT
           (SELECT count(*)::int FROM outbox_events
             WHERE article_id = $1 AND fanned_out_at IS NULL AND available_at <= now()) AS due,
           (SELECT count(*)::int FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE e.article_id = $1 AND d.webhook_id = $2 AND d.status = 'pending') AS pending`,
        [id, hookId],
      );
      return row.due === 0 && row.pending === 0;
    });
    const normal = (data: Fields): Fields => {
      const out: Fields = { ...data };
      if (out.articleId === id) out.articleId = '<id>';
      if (typeof out.slug === 'string') out.slug = out.slug.replace(prefix, '<prefix>');
      for (const k of ['publishedAt', 'updatedAt'])
        if (out[k] === at) out[k] = '<at>';
        else if (typeof out[k] === 'string' && ISO.test(out[k])) out[k] = '<time>';
      return out;
    };
    const got = [...receiver.about(id)].sort((x, y) => x.body.createdAt.localeCompare(y.body.createdAt));
    for (const g of got) expect(g.verification).toBe('verified');
    const rows: { event: string; available_at: Date; payload: Fields }[] = await db.query(
      `SELECT event, available_at, payload FROM outbox_events
        WHERE article_id = $1 AND fanned_out_at IS NULL ORDER BY available_at, id`,
      [id],
    );
    return {
      delivered: got.map((g) => ({ event: g.body.event, data: normal(g.body.data) })),
      waiting: rows.map((r) => ({
        event: r.event,
        availableAt: r.available_at.toISOString() === at ? '<at>' : r.available_at.toISOString(),
        data: normal(r.payload),
      })),
    };
  }

  async function viaRest(prefix: string, cases: Case[]): Promise<string[]> {
    const ids: string[] = [];
    for (const c of cases) {
      const res = await t.editor.post('/api/v1/articles', { ...base(prefix, c), ...c.create });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const [i, c] of cases.entries())
      if (c.update) expect((await t.editor.patch(`/api/v1/articles/${ids[i]}`, c.update)).status).toBe(200);
    return ids;
  }

  async function viaGraphql(prefix: string, cases: Case[]): Promise<string[]> {
    const ids: string[] = [];
    for (const c of cases) {
      const res = await t.editor.graphql(
        `mutation($input: ArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: { ...base(prefix, c), ...c.create },
        },
      );
      expect(res.errors).toBeUndefined();
      ids.push(res.data.createArticle.id);
    }
    for (const [i, c] of cases.entries())
      if (c.update) {
        const res = await t.editor.graphql(
          `mutation($id: ID!, $input: ArticleInput!) { updateArticle(id: $id, input: $input) { id } }`,
          { id: ids[i], input: c.update },
        );
        expect(res.errors).toBeUndefined();
      }
    return ids;
  }

  async function viaImport(prefix: string, cases: Case[]): Promise<string[]> {
    // A line is the whole article: the re-import repeats what the first one said, changed.
    const line = (c: Case, change: Fields = {}) => ({
      ...(c.externalId ? { externalId: `${prefix}-${c.name}` } : {}),
      ...base(prefix, c),
      ...c.create,
      ...change,
    });
    const first = await postImport(t.editor, ndjson(cases.map((c) => line(c))), NDJSON['content-type']);
    expect(first.body).toMatchObject({ created: cases.length, failed: 0 });
    const changed = cases.filter((c) => c.update);
    const second = await postImport(
      t.editor,
      ndjson(changed.map((c) => line(c, c.update))),
      NDJSON['content-type'],
    );
    expect(second.body).toMatchObject({ created: 0, updated: changed.length, failed: 0 });
    const ids: string[] = [];
    for (const c of cases) ids.push((await t.editor.get(`/api/v1/articles/${prefix}-${c.name}`)).body.id);
    return ids;
  }

  async function run(write: (prefix: string, cases: Case[]) => Promise<string[]>): Promise<Fields> {
    const prefix = unique('parity');
    // Whole seconds an hour ahead: far enough that no scheduled event falls due during the test.
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600_000).toISOString();
    const cases = CASES(at);
    const ids = await write(prefix, cases);
    const traces: Fields = {};
    for (const [i, c] of cases.entries()) traces[c.name] = await traceOf(ids[i], prefix, at);
    return traces;
  }

  it('a plain, a scheduled, a published-then-draft and a scheduled-then-draft article: the same deliveries every way', async () => {
    const rest = await run(viaRest);
    const payload = (title: string, status: string, publishedAt: string) => ({
      articleId: '<id>',
      slug: expect.stringMatching(/^<prefix>-/),
      title,
      status,
      publishedAt,
      updatedAt: '<time>',
      section,
    });
    expect(rest).toEqual({
      plain: {
        delivered: [
          { event: 'article.published', data: payload('Tide plain', 'published', '<time>') },
          { event: 'article.updated', data: payload('Tide plain, revised', 'published', '<time>') },
        ],
        waiting: [],
      },
      scheduled: {
        delivered: [],
        waiting: [
          {
            event: 'article.published',
            availableAt: '<at>',
            data: payload('Tide scheduled', 'published', '<at>'),
          },
        ],
      },
      'published-to-draft': {
        delivered: [
          { event: 'article.published', data: payload('Tide published-to-draft', 'published', '<time>') },
          { event: 'article.unpublished', data: payload('Tide published-to-draft', 'draft', '<time>') },
        ],
        waiting: [],
      },
      // The cancelled event is gone from the outbox: it can never be delivered.
      'scheduled-to-draft': { delivered: [], waiting: [] },
    });
    expect(await run(viaGraphql)).toEqual(rest);
    expect(await run(viaImport)).toEqual(rest);
  });
});
