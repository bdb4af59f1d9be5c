import { DataSource } from 'typeorm';
import { ARTICLE_LIMITS as L } from '../../src/articles/article-limits';
import { aSection, anArticle } from '../support/article-factory';
import { ndjson, NDJSON, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { Receiver, newSecret } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

/**
 * Issue 16, acceptance 1: one article write path. The same inputs sent through POST/PATCH
 * /articles, GraphQL createArticle/updateArticle and an NDJSON import store the same rows
 * (every column but ids and times, with their tags, sections, pins and revisions, read with
 * SQL), the same content hashes, the same webhook deliveries (and waiting scheduled events),
 * and the same bad input is refused with the same field errors, path and message.
 *
 * Each transport writes the same slugs and externalIds in turn (a hash covers them), so the test
 * removes one transport's articles with SQL before the next writes; the server's clock is stopped
 * at one instant for all three, so "published now" is the same time every way.
 */

type Fields = Record<string, unknown>;
interface Case {
  name: string;
  create: Fields;
  /** What a PATCH or updateArticle changes; an import sends the whole line again, changed. */
  update?: Fields;
}

const CASES = (section: string, extra: string, pinned: string, at: string): Case[] =>
  [
    { name: 'plain', create: {}, update: { title: 'Harbour plain, revised' } },
    {
      name: 'every-field',
      create: {
        externalId: 'wire-every-field',
        subtitle: 'Boats back at dawn',
        dateline: 'BERGEN, Norway',
        byline: 'Kari Nordmann',
        source: 'NTB',
        excerpt: 'The harbour reopened.',
        body: [
          { type: 'paragraph', text: 'Wind and <b>tide</b>.' },
          { type: 'heading', level: 2, text: 'At the quay' },
          { type: 'quote', text: 'We are back.', cite: 'A skipper' },
          { type: 'list', ordered: true, items: ['Cod', 'Haddock'] },
          {
            type: 'image',
            url: 'https://img.example/quay.jpg',
            alt: 'The quay',
            caption: 'Dawn',
            credit: 'NTB',
          },
          { type: 'embed', url: 'https://video.example/v/1', provider: 'video' },
        ],
        sections: [extra],
        tags: ['harbour', 'weather'],
        heroImage: {
          url: 'https://img.example/hero.jpg',
          alt: 'Boats',
          credit: 'NTB',
          width: 1200,
          height: 800,
        },
        status: 'published',
        publishedAt: '2026-01-02T03:04:05.000Z',
        relatedArticles: [pinned],
      },
      update: { excerpt: 'The harbour reopened on Tuesday.', tags: ['harbour'] },
    },
    { name: 'scheduled', create: { status: 'scheduled', publishedAt: at } },
    { name: 'published-to-draft', create: { status: 'published' }, update: { status: 'draft' } },
    {
      name: 'scheduled-to-draft',
      create: { status: 'scheduled', publishedAt: at },
      update: { status: 'draft' },
    },
  ].map((c) => ({
    ...c,
    create: {
      title: `Harbour ${c.name}`,
      ...('body' in c.create ? {} : { bodyText: 'Wind and tide.' }),
      section,
      ...c.create,
    },
  }));

/** One input over every limit it can be over, and otherwise wrong in every field it can be. */
const BAD: Fields = {
  externalId: 'x'.repeat(L.externalId + 1),
  slug: 'Not A Slug',
  title: 'x'.repeat(L.title + 1),
  excerpt: 'x'.repeat(L.excerpt + 1),
  body: [
    { type: 'heading', level: 9, text: 'h' },
    { type: 'image', url: 'javascript:alert(1)', alt: 'x' },
  ],
  tags: [...Array.from({ length: L.tags + 1 }, (_, i) => `t-${i}`)],
  sections: ['Bad Section'],
  heroImage: { url: 'ftp://img.example/x.jpg' },
  publishedAt: 'yesterday',
};

interface Stored {
  row: Fields;
  tags: Fields[];
  sections: string[];
  related: string[];
  revisions: Fields[];
}

describe('One article write path: REST, GraphQL and an NDJSON import store and announce the same', () => {
  let t: TestApp;
  let db: DataSource;
  let receiver: Receiver;
  let hookId: string;
  let cases: Case[];
  let prefix: string;
  let at: string;
  let now: number;

  beforeAll(async () => {
    t = await startTestApp({
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 100,
    });
    db = t.dateline.app.get(DataSource);
    const secret = newSecret();
    receiver = await new Receiver(undefined, secret).start();
    const hook = await t.admin.post('/api/v1/webhooks', {
      url: receiver.url,
      events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'],
      secret,
    });
    expect(hook.status).toBe(201);
    hookId = hook.body.id;
    const pinned = await anArticle(t, { status: 'published' });
    now = Math.floor(Date.now() / 1000) * 1000;
    // Whole seconds an hour ahead: no scheduled event falls due during the test.
    at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3600_000).toISOString();
    cases = CASES(await aSection(t, 'Harbour'), await aSection(t, 'Coast'), pinned.slug, at);
    prefix = unique('parity');
  });
  afterAll(async () => {
    t.clock.reset();
    await t.admin.delete(`/api/v1/webhooks/${hookId}`);
    await receiver.close();
    await t.close();
  });

  const slugOf = (c: Case) => `${prefix}-${c.name}`;
  const externalIdOf = (c: Case) =>
    typeof c.create.externalId === 'string' ? `${prefix}-${c.create.externalId}` : undefined;
  const created = (c: Case): Fields => {
    const externalId = externalIdOf(c);
    return { ...c.create, slug: slugOf(c), ...(externalId ? { externalId } : {}) };
  };

  async function viaRest(): Promise<string[]> {
    const ids: string[] = [];
    for (const c of cases) {
      const res = await t.editor.post('/api/v1/articles', created(c));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    for (const [i, c] of cases.entries())
      if (c.update) expect((await t.editor.patch(`/api/v1/articles/${ids[i]}`, c.update)).status).toBe(200);
    return ids;
  }

  async function viaGraphql(): Promise<string[]> {
    const ids: string[] = [];
    for (const c of cases) {
      const res = await t.editor.graphql(
        `mutation($input: ArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: created(c),
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

  async function viaImport(): Promise<string[]> {
    const first = await postImport(t.editor, ndjson(cases.map(created)), NDJSON['content-type']);
    expect(first.body).toMatchObject({ created: cases.length, failed: 0 });
    // A line is the whole article: the re-import repeats what the first one said, changed.
    const changed = cases.filter((c) => c.update);
    const again = await postImport(
      t.editor,
      ndjson(changed.map((c) => ({ ...created(c), ...c.update }))),
      NDJSON['content-type'],
    );
    expect(again.body).toMatchObject({ created: 0, updated: changed.length, failed: 0 });
    const ids: string[] = [];
    for (const c of cases) ids.push((await t.editor.get(`/api/v1/articles/${slugOf(c)}`)).body.id);
    return ids;
  }

  /** What one article is in the database: its row but ids and times, and what hangs off it. */
  async function stored(id: string): Promise<Stored> {
    const [{ row }] = await db.query(
      `SELECT to_jsonb(a) - 'id' - 'created_at' - 'updated_at' AS row FROM articles a WHERE id = $1`,
      [id],
    );
    const tags = await db.query(
      `SELECT t.slug, t.name, at.position FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = $1 ORDER BY at.position`,
      [id],
    );
    const sections = await db.query(
      `SELECT s.slug FROM article_sections x JOIN sections s ON s.id = x.section_id
        WHERE x.article_id = $1 ORDER BY x.position`,
      [id],
    );
    const related = await db.query(
      `SELECT a.slug FROM article_related r JOIN articles a ON a.id = r.related_id
        WHERE r.article_id = $1 ORDER BY r.position`,
      [id],
    );
    const revisions = await db.query(
      `SELECT author, snapshot FROM article_revisions WHERE article_id = $1 ORDER BY created_at, id`,
      [id],
    );
    return {
      row,
      tags,
      sections: sections.map((s: { slug: string }) => s.slug),
      related: related.map((r: { slug: string }) => r.slug),
      revisions,
    };
  }

  /** The deliveries the receiver got about one article once nothing is due, and what still waits. */
  async function announced(id: string): Promise<Fields> {
    await waitFor('the outbox to drain', async () => {
      const [row] = await db.query(
        `SELECT
           (SELECT count(*)::int FROM outbox_events
             WHERE article_id = $1 AND fanned_out_at IS NULL AND available_at <= $3) AS due,
           (SELECT count(*)::int FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE e.article_id = $1 AND d.webhook_id = $2 AND d.status = 'pending') AS pending`,
        [id, hookId, t.clock.date()],
      );
      return row.due === 0 && row.pending === 0;
    });
    const normal = (data: Fields): Fields => ({ ...data, articleId: '<id>', updatedAt: '<time>' });
    const got = [...receiver.about(id)].sort((x, y) => x.body.createdAt.localeCompare(y.body.createdAt));
    for (const g of got) expect(g.verification).toBe('verified');
    const waiting: { event: string; available_at: Date; payload: Fields }[] = await db.query(
      `SELECT event, available_at, payload FROM outbox_events
        WHERE article_id = $1 AND fanned_out_at IS NULL ORDER BY available_at, id`,
      [id],
    );
    return {
      delivered: got.map((g) => ({ event: g.body.event, data: normal(g.body.data) })),
      waiting: waiting.map((w) => ({
        event: w.event,
        availableAt: w.available_at.toISOString(),
        data: normal(w.payload),
      })),
    };
  }

  async function run(write: () => Promise<string[]>): Promise<Record<string, Fields>> {
    // The same instant for every transport: a published-now article gets the same publishedAt.
    t.clock.set(now);
    const ids = await write();
    const out: Record<string, Fields> = {};
    for (const [i, c] of cases.entries())
      out[c.name] = { ...(await stored(ids[i])), events: await announced(ids[i]) };
    // Free the slugs and externalIds for the next transport; its waiting events go with them.
    await db.query(`DELETE FROM outbox_events WHERE article_id = ANY($1) AND fanned_out_at IS NULL`, [ids]);
    await db.query(`DELETE FROM articles WHERE id = ANY($1)`, [ids]);
    return out;
  }

  it('a plain article, one with every field, a scheduled one, one pulled back to draft and a schedule cancelled: the same rows, hashes and deliveries every way', async () => {
    const rest = await run(viaRest);
    expect(rest['every-field']).toMatchObject({
      row: { external_id: `${prefix}-wire-every-field`, status: 'published', byline: 'Kari Nordmann' },
      tags: [{ slug: 'harbour', name: 'harbour' }],
      related: [expect.any(String)],
    });
    expect(rest.scheduled).toMatchObject({
      row: { status: 'scheduled', published_at: at.replace('.000Z', '+00:00') },
      events: { delivered: [], waiting: [{ event: 'article.published', availableAt: at }] },
    });
    expect(rest['published-to-draft'].events).toMatchObject({
      delivered: [{ event: 'article.published' }, { event: 'article.unpublished' }],
    });
    expect(rest['scheduled-to-draft'].events).toEqual({ delivered: [], waiting: [] });
    for (const c of Object.values(rest)) expect((c.row as Fields).content_hash).toEqual(expect.any(String));

    expect(await run(viaGraphql)).toEqual(rest);
    expect(await run(viaImport)).toEqual(rest);
  });

  it('the same bad input is refused with the same field errors every way, creating or updating, and nothing is stored', async () => {
    const listed = (errors: { path: string; message: string }[]) =>
      errors.map((e) => `${e.path}: ${e.message}`);
    const input = { ...BAD, bodyText: undefined };

    const rest = await t.editor.post('/api/v1/articles', input);
    expect(rest.status).toBe(400);
    const errors = listed(rest.body.errors);
    expect(errors).toEqual([
      `externalId: must be at most ${L.externalId} characters`,
      'slug: must be lower-case letters, digits and single hyphens',
      `title: must be at most ${L.title} characters`,
      `excerpt: must be at most ${L.excerpt} characters`,
      'body.0.level: must be 2, 3 or 4',
      'body.1.url: must be an http(s) URL',
      'sections.0: must be lower-case letters, digits and single hyphens',
      `tags: must have at most ${L.tags} items`,
      'heroImage.url: must be an http(s) URL',
      'publishedAt: must be an ISO-8601 date-time with a time zone',
    ]);

    const article = await anArticle(t);
    const patched = await t.editor.patch(`/api/v1/articles/${article.id}`, input);
    expect(patched.status).toBe(400);
    expect(listed(patched.body.errors)).toEqual(errors);

    const gqlCreate = await t.editor.graphql(
      `mutation($input: ArticleInput!) { createArticle(input: $input) { id } }`,
      {
        input,
      },
    );
    expect(gqlCreate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(listed(gqlCreate.errors?.[0]?.extensions?.errors as never)).toEqual(errors);
    const gqlUpdate = await t.editor.graphql(
      `mutation($id: ID!, $input: ArticleInput!) { updateArticle(id: $id, input: $input) { id } }`,
      { id: article.id, input },
    );
    expect(listed(gqlUpdate.errors?.[0]?.extensions?.errors as never)).toEqual(errors);

    const imported = await postImport(t.editor, ndjson([input]), NDJSON['content-type']);
    expect(imported.body).toMatchObject({ created: 0, updated: 0, failed: 1 });
    expect(imported.body.errors[0].message.split('; ')).toEqual(errors);

    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM articles WHERE slug = 'not-a-slug' OR title = $1`,
      [BAD.title],
    );
    expect(n).toBe(0);
    expect((await t.editor.get(`/api/v1/articles/${article.id}`)).body.title).toBe(article.title);
  });
});
