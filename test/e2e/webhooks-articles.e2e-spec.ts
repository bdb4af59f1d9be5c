import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { aSection, anArticle, published } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';
import { Receiver, newSecret } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

describe('Webhooks: article writes fire their events, once each', () => {
  let t: TestApp;
  let receiver: Receiver;
  let hook: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestApp({
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 100,
    });
    const secret = newSecret();
    // Verifies each delivery with the standardwebhooks library, as a frontend would.
    receiver = await new Receiver(undefined, secret).start();
    const res = await t.admin.post('/api/v1/webhooks', {
      url: receiver.url,
      events: ['article.published', 'article.updated', 'article.unpublished', 'article.deleted'],
      secret,
    });
    expect(res.status).toBe(201);
    hook = { id: res.body.id, secret };
  });
  afterAll(async () => {
    await t.admin.delete(`/api/v1/webhooks/${hook.id}`);
    await receiver.close();
    await t.close();
  });

  /** Waits until every due event of the article went out and no delivery is pending. */
  async function settled(articleId: string): Promise<string[]> {
    const db = t.dateline.app.get(DataSource);
    await waitFor('the outbox to drain', async () => {
      const [row] = await db.query(
        `SELECT
           (SELECT count(*)::int FROM outbox_events
             WHERE article_id = $1 AND fanned_out_at IS NULL AND available_at <= $3) AS due,
           (SELECT count(*)::int FROM webhook_deliveries d JOIN outbox_events e ON e.id = d.event_id
             WHERE e.article_id = $1 AND d.webhook_id = $2 AND d.status = 'pending') AS pending`,
        [articleId, hook.id, t.clock.date()],
      );
      return row.due === 0 && row.pending === 0;
    });
    // In the order the writes happened (deliveries may overtake each other).
    const got = [...receiver.about(articleId)].sort((x, y) =>
      x.body.createdAt.localeCompare(y.body.createdAt),
    );
    for (const g of got) {
      expect(g.verification).toBe('verified');
      expect(g.headers['webhook-id']).toBe(g.body.id);
      expect(g.headers['x-dateline-event']).toBe(g.body.event);
    }
    // Each event once: no delivery id twice.
    expect(new Set(got.map((g) => g.body.id)).size).toBe(got.length);
    return got.map((g) => g.body.event);
  }

  it('REST: publish, update, unpublish, delete each fire once; a draft edit fires nothing', async () => {
    const section = await aSection(t, 'Harbour');
    const a = await anArticle(t, published({ section }));
    await waitFor('article.published', () => receiver.about(a.id).length === 1);
    const first = receiver.about(a.id)[0].body;
    expect(first.event).toBe('article.published');
    expect(first.data).toMatchObject({
      articleId: a.id,
      slug: a.slug,
      title: a.title,
      status: 'published',
      publishedAt: a.publishedAt,
      section,
    });
    expect(typeof first.data.updatedAt).toBe('string');

    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Harbour reopens' })).status).toBe(200);
    // An unchanged PATCH changes nothing and fires nothing.
    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Harbour reopens' })).status).toBe(200);
    expect(await settled(a.id)).toEqual(['article.published', 'article.updated']);
    expect(receiver.about(a.id)[1].body.data.title).toBe('Harbour reopens');

    expect((await t.editor.post(`/api/v1/articles/${a.id}/unpublish`, {})).status).toBe(200);
    expect(await settled(a.id)).toEqual(['article.published', 'article.updated', 'article.unpublished']);

    // A draft's edits are nobody's business but the newsroom's.
    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { subtitle: 'Still a draft' })).status).toBe(
      200,
    );
    expect(await settled(a.id)).toEqual(['article.published', 'article.updated', 'article.unpublished']);

    expect((await t.editor.post(`/api/v1/articles/${a.id}/publish`, {})).status).toBe(200);
    expect((await t.editor.delete(`/api/v1/articles/${a.id}`)).status).toBe(204);
    expect(await settled(a.id)).toEqual([
      'article.published',
      'article.updated',
      'article.unpublished',
      'article.published',
      'article.deleted',
    ]);

    expect((await t.editor.post(`/api/v1/articles/${a.id}/restore`, {})).status).toBe(200);
    expect((await settled(a.id)).slice(5)).toEqual(['article.published']);
  });

  it('a draft is created and deleted without a single event', async () => {
    const a = await anArticle(t);
    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { title: 'Draft title' })).status).toBe(200);
    expect((await t.editor.delete(`/api/v1/articles/${a.id}`)).status).toBe(204);
    expect(await settled(a.id)).toEqual([]);
  });

  it('a scheduled article fires article.published when its time comes, once', async () => {
    const at = new Date(t.clock.now() + 3000);
    const a = await anArticle(t, { status: 'scheduled', publishedAt: at.toISOString() });
    expect(a.status).toBe('scheduled');
    // Waiting in the outbox for its time, not yet handed to any webhook.
    const [waiting] = await t.dateline.app
      .get(DataSource)
      .query(
        `SELECT available_at, fanned_out_at FROM outbox_events WHERE article_id = $1 AND event = 'article.published'`,
        [a.id],
      );
    expect(waiting).toEqual({ available_at: at, fanned_out_at: null });
    expect(receiver.about(a.id)).toEqual([]);
    // The server's clock reaches the time: the dispatcher's next poll sends it.
    t.clock.passTo(at);
    const got = await waitFor('the scheduled publish', () => receiver.about(a.id)[0]);
    expect(got.body.event).toBe('article.published');
    expect(got.body.data).toMatchObject({ articleId: a.id, status: 'published', publishedAt: a.publishedAt });
    expect(await settled(a.id)).toEqual(['article.published']);
  });

  it('rescheduling, unpublishing or deleting a scheduled article cancels its pending event', async () => {
    const later = () => new Date(t.clock.now() + 3600_000).toISOString();
    const a = await anArticle(t, { status: 'scheduled', publishedAt: later() });
    const b = await anArticle(t, { status: 'scheduled', publishedAt: later() });
    const c = await anArticle(t, { status: 'scheduled', publishedAt: later() });
    const soon = new Date(t.clock.now() + 2000).toISOString();
    expect((await t.editor.patch(`/api/v1/articles/${a.id}`, { publishedAt: soon })).status).toBe(200);
    expect((await t.editor.post(`/api/v1/articles/${b.id}/unpublish`, {})).status).toBe(200);
    expect((await t.editor.delete(`/api/v1/articles/${c.id}`)).status).toBe(204);

    t.clock.passTo(soon);
    await waitFor('the rescheduled publish', () => receiver.about(a.id)[0]);
    expect(await settled(a.id)).toEqual(['article.published']);
    expect(await settled(b.id)).toEqual([]);
    // A scheduled article was promised to the frontends: its deletion is announced.
    expect(await settled(c.id)).toEqual(['article.deleted']);
    const [{ waiting }] = await t.dateline.app
      .get(DataSource)
      .query(
        `SELECT count(*)::int AS waiting FROM outbox_events WHERE article_id = ANY($1::uuid[]) AND fanned_out_at IS NULL`,
        [[a.id, b.id, c.id]],
      );
    expect(waiting).toBe(0);
  });

  it('GraphQL mutations fire the same events', async () => {
    const created = await t.editor.graphql(
      `mutation($input: ArticleInput!) { createArticle(input: $input) { id } }`,
      { input: { title: `Storm ${randomUUID()}`, bodyText: 'Wind.', status: 'published' } },
    );
    const id = created.data.createArticle.id as string;
    await t.editor.graphql(`mutation($id: ID!) { updateArticle(id: $id, input: { title: "Calm" }) { id } }`, {
      id,
    });
    await t.editor.graphql(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id });
    await t.editor.graphql(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id });
    await t.editor.graphql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id });
    expect(await settled(id)).toEqual([
      'article.published',
      'article.updated',
      'article.unpublished',
      'article.published',
      'article.deleted',
    ]);
  });
});
