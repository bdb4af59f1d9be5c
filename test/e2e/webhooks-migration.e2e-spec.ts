import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { StandardWebhooks1796020000000 } from '../../src/database/migrations/1796020000000-StandardWebhooks';
import { WebhookDispatcher } from '../../src/webhooks/webhook.dispatcher';
import { withScratchDatabase } from '../support/scratch-database';
import { startTestApp, testConfig } from '../support/test-app';
import { Receiver, enqueue } from '../support/webhook-receiver';
import { waitFor } from '../support/wait-for';

/** The Standard Webhooks secret standing for an old free-form one: its bytes, wrapped. */
const wrapped = (old: string) => `whsec_${Buffer.from(old, 'utf8').toString('base64')}`;

describe('Webhooks: secrets and deliveries stored before Standard Webhooks', () => {
  it('old secrets sign with the same key after the migration, old deliveries can be redelivered, and down restores them', async () => {
    await withScratchDatabase(async (databaseUrl) => {
      // Non-ASCII, and long enough that PostgreSQL's base64 would break the line.
      const shortOld = `café-secret-${randomUUID().slice(0, 8)}`;
      const longOld = `a-very-long-shared-secret-${randomUUID()}-${randomUUID()}`;
      const receivers = [
        await new Receiver(undefined, wrapped(shortOld)).start(),
        await new Receiver(undefined, wrapped(longOld)).start(),
      ];
      try {
        // The database as the release before this migration left it, with a webhook and a
        // delivery it had already made.
        const previous = new DataSource({
          ...dataSourceOptions(testConfig({ databaseUrl })),
          migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(StandardWebhooks1796020000000)),
        });
        await previous.initialize();
        let hookIds: string[];
        let oldDeliveryId: string;
        const articleBefore = randomUUID();
        try {
          await previous.runMigrations();
          const hooks: { id: string }[] = await previous.query(
            `INSERT INTO webhooks (url, events, secret)
             VALUES ($1, '{article.updated}', $2), ($3, '{article.updated}', $4) RETURNING id`,
            [receivers[0].url, shortOld, receivers[1].url, longOld],
          );
          hookIds = hooks.map((h) => h.id);
          const [event]: { id: string }[] = await previous.query(
            `INSERT INTO outbox_events (event, article_id, payload, fanned_out_at)
             VALUES ('article.updated', $1, $2, now()) RETURNING id`,
            [articleBefore, JSON.stringify({ articleId: articleBefore })],
          );
          const [delivery]: { id: string }[] = await previous.query(
            `INSERT INTO webhook_deliveries (webhook_id, event_id, event, status, attempts, delivered_at)
             VALUES ($1, $2, 'article.updated', 'succeeded', 1, now()) RETURNING id`,
            [hookIds[0], event.id],
          );
          oldDeliveryId = delivery.id;
        } finally {
          await previous.destroy();
        }

        const t = await startTestApp({
          databaseUrl,
          webhookAllowPrivateUrls: true,
          webhookRetryBaseMs: 5,
          webhookPollIntervalMs: 100,
        });
        try {
          const db = t.dateline.app.get(DataSource);
          const stored: { secret: string }[] = await db.query(
            `SELECT secret FROM webhooks WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
            [hookIds],
          );
          expect(stored.map((s) => s.secret)).toEqual([wrapped(shortOld), wrapped(longOld)]);

          // A new event reaches both receivers, each verifying with its old secret, wrapped.
          const articleId = randomUUID();
          await enqueue(t, 'article.updated', articleId);
          for (const r of receivers) {
            const [got] = await waitFor('the delivery', () => {
              const g = r.about(articleId);
              return g.length ? g : undefined;
            });
            expect(got.verification).toBe('verified');
          }

          // The delivery made before the migration is listed and can be sent again.
          const list = await t.admin.get(`/api/v1/webhooks/${hookIds[0]}/deliveries`);
          expect(list.body.data).toContainEqual(
            expect.objectContaining({ id: oldDeliveryId, messageId: oldDeliveryId, redeliveryOf: null }),
          );
          const again = await t.admin.post(
            `/api/v1/webhooks/${hookIds[0]}/deliveries/${oldDeliveryId}/redeliver`,
          );
          expect(again.status).toBe(202);
          const [resent] = await waitFor('the redelivery', () => {
            const g = receivers[0].about(articleBefore);
            return g.length ? g : undefined;
          });
          expect(resent.verification).toBe('verified');
          expect(resent.headers['webhook-id']).toBe(oldDeliveryId);

          // Down: the old form comes back, and the first-delivery uniqueness with it.
          await t.dateline.app.get(WebhookDispatcher).stop();
          // Back down through this migration (and any that came after it).
          for (let i = MIGRATIONS.indexOf(StandardWebhooks1796020000000); i < MIGRATIONS.length; i++)
            await db.undoLastMigration({ transaction: 'each' });
          const restored: { secret: string }[] = await db.query(
            `SELECT secret FROM webhooks WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
            [hookIds],
          );
          expect(restored.map((s) => s.secret)).toEqual([shortOld, longOld]);
          const [{ n }] = await db.query(
            `SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1`,
            [hookIds[0]],
          );
          expect(n).toBe(2); // the old delivery and the new event's; the redelivery is gone
        } finally {
          await t.close();
        }
      } finally {
        for (const r of receivers) await r.close();
      }
    });
  });
});
