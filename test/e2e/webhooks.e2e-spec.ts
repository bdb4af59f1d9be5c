import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OutboxService, type OutboxEventName } from '../../src/webhooks/outbox.service';
import { WebhookDispatcher } from '../../src/webhooks/webhook.dispatcher';
import { expectProblem } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { usingEmbeddedDatabase } from '../support/test-database';
import { Receiver, enqueue, newSecret, verify } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

const ALL_EVENTS: OutboxEventName[] = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.deleted',
];

describe('Webhooks: Standard Webhooks deliveries from the outbox', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];
  const hooks: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 100,
    });
  });
  afterEach(async () => {
    // Webhooks live in the worker's shared database: leave none behind for other tests.
    for (const id of hooks.splice(0)) await t.admin.delete(`/api/v1/webhooks/${id}`);
    for (const r of receivers.splice(0)) await r.close();
  });
  afterAll(() => t.close());

  /** A receiver that verifies every request with the standardwebhooks library, given the secret. */
  async function receiver(
    respond?: ConstructorParameters<typeof Receiver>[0],
    secret?: string,
  ): Promise<Receiver> {
    const r = await new Receiver(respond, secret).start();
    receivers.push(r);
    return r;
  }

  async function webhook(url: string, events: OutboxEventName[] = ALL_EVENTS, secret = newSecret()) {
    const res = await t.admin.post('/api/v1/webhooks', { url, events, secret });
    expect(res.status).toBe(201);
    hooks.push(res.body.id);
    return { id: res.body.id as string, secret };
  }

  /** A verifying receiver and a webhook to it, sharing one secret. */
  async function verifiedHook(
    events: OutboxEventName[],
    respond?: ConstructorParameters<typeof Receiver>[0],
  ) {
    const secret = newSecret();
    const r = await receiver(respond, secret);
    return { r, hook: await webhook(r.url, events, secret) };
  }

  const redeliver = (hookId: string, deliveryId: string) =>
    t.admin.post(`/api/v1/webhooks/${hookId}/deliveries/${deliveryId}/redeliver`);

  async function deliveries(hookId: string): Promise<any[]> {
    const res = await t.admin.get(`/api/v1/webhooks/${hookId}/deliveries?limit=100`);
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('only admins manage webhooks: anonymous 401, editor 403', async () => {
    const body = { url: 'http://127.0.0.1:9/hook', events: ['article.published'], secret: newSecret() };
    const id = randomUUID();
    const redeliverPath = `/api/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`;
    expectProblem(await t.anonymous.post('/api/v1/webhooks', body), 401);
    expectProblem(await t.anonymous.get('/api/v1/webhooks'), 401);
    expectProblem(await t.anonymous.delete(`/api/v1/webhooks/${id}`), 401);
    expectProblem(await t.anonymous.get(`/api/v1/webhooks/${id}/deliveries`), 401);
    expectProblem(await t.anonymous.post(redeliverPath), 401);
    expectProblem(await t.editor.post('/api/v1/webhooks', body), 403);
    expectProblem(await t.editor.get('/api/v1/webhooks'), 403);
    expectProblem(await t.editor.delete(`/api/v1/webhooks/${id}`), 403);
    expectProblem(await t.editor.get(`/api/v1/webhooks/${id}/deliveries`), 403);
    expectProblem(await t.editor.post(redeliverPath), 403);
  });

  it('an admin creates, lists and deletes webhooks; the secret is never shown', async () => {
    const secret = newSecret();
    const created = await t.admin.post('/api/v1/webhooks', {
      url: 'https://frontend.example.com/rebuild',
      events: ['article.published', 'article.deleted'],
      secret,
    });
    expect(created.status).toBe(201);
    hooks.push(created.body.id);
    expect(created.body).toEqual({
      id: expect.any(String),
      url: 'https://frontend.example.com/rebuild',
      events: ['article.published', 'article.deleted'],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(created.text).not.toContain(secret);

    const list = await t.admin.get('/api/v1/webhooks');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(secret);
    expect(list.body.data).toContainEqual(created.body);
    expect(await deliveries(created.body.id)).toEqual([]);

    expect((await t.admin.delete(`/api/v1/webhooks/${created.body.id}`)).status).toBe(204);
    const after = await t.admin.get('/api/v1/webhooks');
    expect(after.body.data.map((w: { id: string }) => w.id)).not.toContain(created.body.id);
    expectProblem(await t.admin.delete(`/api/v1/webhooks/${created.body.id}`), 404);
    expectProblem(await t.admin.get(`/api/v1/webhooks/${randomUUID()}/deliveries`), 404);
  });

  it('bad webhook input is 400 naming the field', async () => {
    const ok = { url: 'https://example.com/hook', events: ['article.updated'], secret: newSecret() };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, url: 'ftp://example.com/hook' }, 'url'],
      [{ ...ok, url: 'not a url' }, 'url'],
      [{ ...ok, events: [] }, 'events'],
      [{ ...ok, events: ['article.liked'] }, 'events'],
      [{ ...ok, secret: 'short' }, 'secret'],
      [{ ...ok, secret: 42 }, 'secret'],
      [{ ...ok, id: randomUUID() }, 'id'],
    ];
    for (const [body, path] of cases) {
      const res = await t.admin.post('/api/v1/webhooks', body);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('a secret not in the whsec_ form Standard Webhooks libraries accept is 400 naming secret', async () => {
    const ok = { url: 'https://example.com/hook', events: ['article.updated'] };
    const bytes = (n: number) => randomBytes(n).toString('base64');
    const refused = [
      'a-long-enough-shared-secret-of-the-old-kind', // the old free-form secrets
      bytes(32), // base64 without the prefix
      'whsec_',
      `whsec_${bytes(16)}`, // a key shorter than 24 bytes
      `whsec_${bytes(65)}`, // longer than 64 bytes
      `whsec_${bytes(32).replace(/=+$/, '')}`, // padding missing: the reference library refuses it
      `whsec_${Buffer.alloc(33, 0xfb).toString('base64url')}`, // the URL-safe alphabet ("-_v7…")
      `whsec_${bytes(32)} `,
      `whsec_${bytes(16)}\n${bytes(16)}`,
    ];
    for (const secret of refused) {
      const res = await t.admin.post('/api/v1/webhooks', { ...ok, secret });
      expectProblem(res, 400);
      expect({ secret, errors: res.body.errors }).toEqual({
        secret,
        errors: [{ path: 'secret', message: expect.stringContaining('whsec_') }],
      });
    }
    // The edges of what the specification asks for: 24 and 64 random bytes.
    for (const secret of [newSecret(24), newSecret(64)]) {
      const res = await t.admin.post('/api/v1/webhooks', { ...ok, secret });
      expect(res.status).toBe(201);
      hooks.push(res.body.id);
    }
  });

  it('each event arrives once, verified by the standardwebhooks library, with the Standard Webhooks headers', async () => {
    const { r, hook } = await verifiedHook(ALL_EVENTS);
    const articleId = randomUUID();
    const before = Math.floor(Date.now() / 1000);
    for (const event of ALL_EVENTS) await enqueue(t, event, articleId);

    const list = await waitFor('four successful deliveries', async () => {
      const d = await deliveries(hook.id);
      return d.length === 4 && d.every((x) => x.status === 'succeeded') ? d : undefined;
    });
    const got = r.about(articleId);
    expect(got.map((g) => g.body.event).sort()).toEqual([...ALL_EVENTS].sort());
    for (const g of got) {
      expect(g.verification).toBe('verified');
      expect(g.headers['content-type']).toBe('application/json');
      expect(g.headers['webhook-id']).toBe(g.body.id);
      expect(g.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      // The time of the try, in unix seconds.
      const timestamp = Number(g.headers['webhook-timestamp']);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(timestamp).toBeLessThanOrEqual(Math.ceil(g.receivedAt / 1000));
      expect(g.headers['x-dateline-event']).toBe(g.body.event);
      // The old signature headers are gone.
      expect(g.headers['x-dateline-signature']).toBeUndefined();
      expect(g.headers['x-dateline-delivery']).toBeUndefined();
      expect(g.body).toEqual({
        id: expect.any(String),
        event: g.body.event,
        createdAt: expect.stringMatching(/Z$/),
        data: { articleId, title: `Story ${articleId}` },
      });
    }
    expect(new Set(got.map((g) => g.body.id))).toEqual(new Set(list.map((d) => d.id)));
    for (const d of list) {
      expect(d).toEqual({
        id: expect.any(String),
        messageId: d.id,
        redeliveryOf: null,
        event: expect.any(String),
        status: 'succeeded',
        attempts: 1,
        lastStatusCode: 200,
        lastError: null,
        createdAt: expect.any(String),
        deliveredAt: expect.any(String),
      });
    }
  });

  it('a receiver that fails twice gets the third try, and the deliveries list shows it', async () => {
    const { r, hook } = await verifiedHook(['article.updated'], (_, n) => (n <= 2 ? 500 : 200));
    const articleId = randomUUID();
    await enqueue(t, 'article.updated', articleId);

    const [d] = await waitFor('a successful delivery', async () => {
      const list = await deliveries(hook.id);
      return list[0]?.status === 'succeeded' ? list : undefined;
    });
    expect(d).toMatchObject({
      event: 'article.updated',
      status: 'succeeded',
      attempts: 3,
      lastStatusCode: 200,
    });
    const got = r.about(articleId);
    expect(got).toHaveLength(3);
    // The same message each time: one webhook-id, one body; each try stamped and signed anew.
    expect(new Set(got.map((g) => g.headers['webhook-id']))).toEqual(new Set([d.id]));
    expect(new Set(got.map((g) => g.raw.toString()))).toHaveProperty('size', 1);
    for (const g of got) expect(g.verification).toBe('verified');
    const stamps = got.map((g) => Number(g.headers['webhook-timestamp']));
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('a receiver rejects a tampered body, a moved timestamp, and a delivery replayed over 5 minutes later', async () => {
    const { r, hook } = await verifiedHook(['article.updated']);
    const articleId = randomUUID();
    await enqueue(t, 'article.updated', articleId);
    const [got] = await waitFor('the delivery', () => {
      const g = r.about(articleId);
      return g.length ? g : undefined;
    });
    expect(got.verification).toBe('verified');
    const signed = {
      'content-type': 'application/json',
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    };
    const replay = async (headers: Record<string, string>, body: string) => {
      const res = await fetch(r.url, { method: 'POST', headers, body });
      return { status: res.status, reason: await res.text() };
    };

    // The body is signed: one changed character and the receiver refuses it.
    const tampered = got.raw
      .toString()
      .replace(`"articleId":"${articleId}"`, `"articleId":"${randomUUID()}"`);
    expect(tampered).not.toBe(got.raw.toString());
    expect(await replay(signed, tampered)).toEqual({ status: 400, reason: 'No matching signature found' });
    // So is the timestamp: refreshing it on an old capture does not make it acceptable.
    const restamped = { ...signed, 'webhook-timestamp': String(Number(signed['webhook-timestamp']) + 30) };
    expect(await replay(restamped, got.raw.toString())).toEqual({
      status: 400,
      reason: 'No matching signature found',
    });
    // The untouched capture is accepted now...
    expect(await replay(signed, got.raw.toString())).toEqual({ status: 200, reason: 'ok' });
    // ...and refused when it arrives more than 5 minutes after it was sent.
    const sixMinutesLater = Date.now() + 6 * 60_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(sixMinutesLater);
    try {
      expect(() => verify(hook.secret, got.raw, got.headers)).toThrow('Message timestamp too old');
    } finally {
      clock.mockRestore();
    }
  });

  it('an event from long ago is stamped with the time it is sent, so it still verifies', async () => {
    const { r } = await verifiedHook(['article.published']);
    const articleId = randomUUID();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    await enqueue(t, 'article.published', articleId, tenMinutesAgo);
    const [got] = await waitFor('the delivery', () => {
      const g = r.about(articleId);
      return g.length ? g : undefined;
    });
    expect(got.body.createdAt).toBe(tenMinutesAgo.toISOString());
    expect(got.verification).toBe('verified');
  });

  it('an admin redelivers a delivery: the same message again, recorded as a delivery of its own', async () => {
    let down = true;
    const { r, hook } = await verifiedHook(['article.unpublished'], () => (down ? 503 : 200));
    const articleId = randomUUID();
    await enqueue(t, 'article.unpublished', articleId);
    const [failed] = await waitFor('the delivery to fail for good', async () => {
      const list = await deliveries(hook.id);
      return list[0]?.status === 'failed' ? list : undefined;
    });
    const triesBefore = r.about(articleId).length;
    expect(triesBefore).toBe(t.dateline.config.webhookMaxAttempts);

    // The receiver is back: the admin sends the message again.
    down = false;
    const res = await redeliver(hook.id, failed.id);
    expect(res.status).toBe(202);
    const redelivery = res.body;
    expect(redelivery).toEqual({
      id: expect.any(String),
      messageId: failed.id,
      redeliveryOf: failed.id,
      event: 'article.unpublished',
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: expect.any(String),
      deliveredAt: null,
    });
    expect(redelivery.id).not.toBe(failed.id);

    const list = await waitFor('the redelivery to succeed', async () => {
      const d = await deliveries(hook.id);
      return d.length === 2 && d[0].status === 'succeeded' ? d : undefined;
    });
    // Newest first: the redelivery with its own outcome, the original as it was.
    expect(list[0]).toMatchObject({
      id: redelivery.id,
      messageId: failed.id,
      status: 'succeeded',
      attempts: 1,
    });
    expect(list[0].deliveredAt).toEqual(expect.any(String));
    expect(list[1]).toEqual(failed);

    const got = r.about(articleId);
    expect(got).toHaveLength(triesBefore + 1);
    const [first, again] = [got[0], got[got.length - 1]];
    // Same webhook-id and body (a receiver can tell it handled this message), a fresh timestamp.
    expect(again.verification).toBe('verified');
    expect(again.headers['webhook-id']).toBe(failed.id);
    expect(again.raw.equals(first.raw)).toBe(true);
    expect(Number(again.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(
      Number(first.headers['webhook-timestamp']),
    );

    // Redelivering the redelivery keeps pointing at the first delivery of the message.
    const third = await redeliver(hook.id, redelivery.id);
    expect(third.status).toBe(202);
    expect(third.body).toMatchObject({ messageId: failed.id, redeliveryOf: failed.id });
    await waitFor('the third copy', () => r.about(articleId).length === triesBefore + 2);
    const last = r.about(articleId)[triesBefore + 1];
    expect(last.headers['webhook-id']).toBe(failed.id);
    expect(last.verification).toBe('verified');
    const all = await waitFor('three deliveries', async () => {
      const d = await deliveries(hook.id);
      return d.length === 3 && d[0].status === 'succeeded' ? d : undefined;
    });
    expect(all.map((d) => d.id)).toEqual([third.body.id, redelivery.id, failed.id]);
  });

  it('redelivering an unknown delivery or webhook is 404; a delivery of another webhook is not found either', async () => {
    const { r, hook } = await verifiedHook(['article.updated']);
    const other = await verifiedHook(['article.updated']);
    const articleId = randomUUID();
    await enqueue(t, 'article.updated', articleId);
    await waitFor(
      'both deliveries',
      () => r.about(articleId).length === 1 && other.r.about(articleId).length === 1,
    );
    const [mine] = await deliveries(hook.id);
    const [theirs] = await deliveries(other.hook.id);

    const unknownDelivery = await redeliver(hook.id, randomUUID());
    expectProblem(unknownDelivery, 404);
    expect(unknownDelivery.body.title).toBe('Webhook delivery not found');
    expectProblem(await redeliver(hook.id, theirs.id), 404);
    const unknownHook = await redeliver(randomUUID(), mine.id);
    expectProblem(unknownHook, 404);
    expect(unknownHook.body.title).toBe('Webhook not found');
    expectProblem(await t.admin.post(`/api/v1/webhooks/not-a-uuid/deliveries/${mine.id}/redeliver`), 400);
    expectProblem(await t.admin.post(`/api/v1/webhooks/${hook.id}/deliveries/nope/redeliver`), 400);

    // A deleted webhook's deliveries are not sent again.
    expect((await t.admin.delete(`/api/v1/webhooks/${other.hook.id}`)).status).toBe(204);
    expectProblem(await redeliver(other.hook.id, theirs.id), 404);
    // Nothing was sent beyond the first deliveries, and nothing was recorded.
    await t.dateline.app.get(WebhookDispatcher).settle();
    expect(r.about(articleId)).toHaveLength(1);
    expect(other.r.about(articleId)).toHaveLength(1);
    expect(await deliveries(hook.id)).toHaveLength(1);
  });

  it('a receiver that never succeeds is recorded as failed after WEBHOOK_MAX_ATTEMPTS', async () => {
    const r = await receiver(() => 503);
    const hook = await webhook(r.url, ['article.deleted']);
    const articleId = randomUUID();
    await enqueue(t, 'article.deleted', articleId);
    const [d] = await waitFor('a failed delivery', async () => {
      const list = await deliveries(hook.id);
      return list[0]?.status === 'failed' ? list : undefined;
    });
    expect(d).toMatchObject({
      status: 'failed',
      attempts: t.dateline.config.webhookMaxAttempts,
      lastStatusCode: 503,
    });
    expect(d.deliveredAt).toBeNull();
    expect(r.about(articleId)).toHaveLength(t.dateline.config.webhookMaxAttempts);
  });

  it('a receiver that cannot be reached records the error and keeps retrying', async () => {
    const gone = await new Receiver().start();
    await gone.close(); // nothing listens on this port any more
    const hook = await webhook(gone.url, ['article.published']);
    await enqueue(t, 'article.published', randomUUID());
    const [d] = await waitFor('a second attempt', async () => {
      const list = await deliveries(hook.id);
      return list[0]?.attempts >= 2 ? list : undefined;
    });
    expect(d.lastStatusCode).toBeNull();
    expect(d.lastError).toEqual(expect.any(String));
  });

  it('a batch of events enqueued together (an import) is delivered in full, one each', async () => {
    const r = await receiver();
    const hook = await webhook(r.url, ['article.published']);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const outbox = t.dateline.app.get(OutboxService);
    await t.dateline.app.get(DataSource).transaction((m) =>
      outbox.enqueueMany(
        m,
        ids.map((articleId) => ({
          event: 'article.published' as const,
          payload: { articleId, batch: true },
        })),
      ),
    );
    await waitFor('five successful deliveries', async () => {
      const d = await deliveries(hook.id);
      return d.length === 5 && d.every((x) => x.status === 'succeeded') ? d : undefined;
    });
    for (const id of ids)
      expect(r.about(id).map((g) => g.body.data)).toEqual([{ articleId: id, batch: true }]);
  });

  it('an event a webhook did not subscribe to is not delivered to it', async () => {
    const r = await receiver();
    const hook = await webhook(r.url, ['article.published']);
    const articleId = randomUUID();
    await enqueue(t, 'article.deleted', articleId);
    await enqueue(t, 'article.unpublished', articleId);
    await enqueue(t, 'article.published', articleId);
    await waitFor('the published event', () => r.about(articleId).length === 1);
    // Older events fan out no later than newer ones: by now the others were seen and skipped.
    const list = await waitFor('the delivery to be recorded', async () => {
      const d = await deliveries(hook.id);
      return d[0]?.status === 'succeeded' ? d : undefined;
    });
    expect(list.map((d) => d.event)).toEqual(['article.published']);
    expect(r.about(articleId).map((g) => g.body.event)).toEqual(['article.published']);
  });

  it('an event enqueued in a transaction that rolls back is never sent', async () => {
    const r = await receiver();
    await webhook(r.url);
    const rolledBack = randomUUID();
    const kept = randomUUID();
    const ds = t.dateline.app.get(DataSource);
    const outbox = t.dateline.app.get(OutboxService);
    await expect(
      ds.transaction(async (m) => {
        await outbox.enqueue(m, 'article.published', { articleId: rolledBack });
        throw new Error('the article write failed');
      }),
    ).rejects.toThrow('the article write failed');
    await enqueue(t, 'article.published', kept);
    await waitFor('the committed event', () => r.about(kept).length === 1);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox_events WHERE article_id = $1`, [
      rolledBack,
    ]);
    expect(n).toBe(0);
    expect(r.about(rolledBack)).toEqual([]);
  });

  it('a scheduled event is sent when its time comes, and a cancelled one never', async () => {
    const r = await receiver();
    await webhook(r.url, ['article.published']);
    const scheduled = randomUUID();
    const cancelled = randomUUID();
    const at = new Date(Date.now() + 1500);
    await enqueue(t, 'article.published', scheduled, at);
    await enqueue(t, 'article.published', cancelled, new Date(Date.now() + 60_000));
    const ds = t.dateline.app.get(DataSource);
    const outbox = t.dateline.app.get(OutboxService);
    await ds.transaction((m) => outbox.cancelScheduled(m, cancelled));

    const [got] = await waitFor('the scheduled event', () => {
      const g = r.about(scheduled);
      return g.length ? g : undefined;
    });
    expect(got.receivedAt).toBeGreaterThanOrEqual(at.getTime());
    expect(got.body.createdAt).toBe(at.toISOString());
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox_events WHERE article_id = $1`, [
      cancelled,
    ]);
    expect(n).toBe(0);
  });

  it('deleting a webhook stops its pending deliveries', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The first try fails; the second is held open until the webhook is deleted, then fails too.
    const r = await receiver(async (_, n) => {
      if (n === 2) await held;
      return 500;
    });
    const hook = await webhook(r.url, ['article.updated']);
    const articleId = randomUUID();
    await enqueue(t, 'article.updated', articleId);
    await waitFor('the second try', () => r.about(articleId).length === 2);
    expect((await t.admin.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(204);
    release();
    // Let the held try finish and record its outcome: it must not revive the delivery.
    await t.dateline.app.get(WebhookDispatcher).settle();

    const [row] = await t.dateline.app
      .get(DataSource)
      .query(
        `SELECT status, attempts, last_error AS "lastError" FROM webhook_deliveries WHERE webhook_id = $1`,
        [hook.id],
      );
    expect(row).toEqual({ status: 'failed', attempts: 1, lastError: 'webhook deleted' });
    expect(r.about(articleId)).toHaveLength(2);
  });

  const itReal = usingEmbeddedDatabase() ? it.skip : it;
  if (usingEmbeddedDatabase())
    console.log('Skipping the two-dispatcher webhook test: the embedded PostgreSQL is a single session.');

  itReal('two instances on one database deliver each event once', async () => {
    const other = await startTestApp({
      webhookAllowPrivateUrls: true,
      webhookRetryBaseMs: 5,
      webhookPollIntervalMs: 100,
    });
    try {
      // A slow receiver keeps deliveries in flight while the other instance polls.
      const r = await receiver(() => new Promise((resolve) => setTimeout(() => resolve(200), 50)));
      const hook = await webhook(r.url, ['article.published', 'article.updated']);
      const ids = Array.from({ length: 30 }, () => randomUUID());
      await Promise.all(ids.map((id, i) => enqueue(i % 2 ? other : t, 'article.published', id)));
      await Promise.all(ids.map((id, i) => enqueue(i % 2 ? t : other, 'article.updated', id)));

      const list = await waitFor('sixty successful deliveries', async () => {
        const d = await deliveries(hook.id);
        return d.length === 60 && d.every((x) => x.status === 'succeeded') ? d : undefined;
      });
      expect(list.every((d) => d.attempts === 1)).toBe(true);
      for (const id of ids) {
        expect(
          r
            .about(id)
            .map((g) => g.body.event)
            .sort(),
        ).toEqual(['article.published', 'article.updated']);
      }
      const deliveryIds = r.requests.map((g) => g.headers['webhook-id']);
      expect(new Set(deliveryIds).size).toBe(deliveryIds.length);
    } finally {
      await other.close();
    }
  });
});
