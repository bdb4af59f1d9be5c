import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks move to the Standard Webhooks specification.
 *
 * Secrets: every delivery used to be signed with the stored secret's own bytes as the HMAC key.
 * A Standard Webhooks secret is `whsec_` + the base64 of the key, so each stored secret becomes
 * exactly that wrapping of the bytes it already signed with: the key does not change, and a
 * receiver that holds the old secret S verifies with `whsec_` + base64(S) (see the README).
 *
 * Redeliveries: an admin may send a delivery again. Each redelivery is its own row, for the same
 * webhook and event, pointing at the first delivery of that message (whose id stays the message's
 * `webhook-id`). Only first deliveries stay unique per webhook and event, which keeps the fan-out's
 * "one delivery per webhook and event" across instances.
 */
export class StandardWebhooks1796020000000 implements MigrationInterface {
  name = 'StandardWebhooks1796020000000';

  async up(q: QueryRunner): Promise<void> {
    // encode(…, 'base64') breaks lines every 76 characters; a secret is one line.
    await q.query(
      `UPDATE webhooks SET secret = 'whsec_' || translate(encode(convert_to(secret, 'UTF8'), 'base64'), E'\\n', '')`,
    );
    await q.query(
      `ALTER TABLE webhook_deliveries
         ADD COLUMN redelivery_of uuid REFERENCES webhook_deliveries(id) ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_webhook_event_key`);
    await q.query(
      `CREATE UNIQUE INDEX webhook_deliveries_webhook_event_key
         ON webhook_deliveries (webhook_id, event_id) WHERE redelivery_of IS NULL`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_redelivery_idx ON webhook_deliveries (redelivery_of)
         WHERE redelivery_of IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM webhook_deliveries WHERE redelivery_of IS NOT NULL`);
    await q.query(`DROP INDEX webhook_deliveries_redelivery_idx`);
    await q.query(`DROP INDEX webhook_deliveries_webhook_event_key`);
    await q.query(
      `ALTER TABLE webhook_deliveries
         ADD CONSTRAINT webhook_deliveries_webhook_event_key UNIQUE (webhook_id, event_id)`,
    );
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN redelivery_of`);
    // Back to the raw form where the key is text (the old code signed with the text's bytes, so the
    // key stays the same); a random key that is not UTF-8 text keeps its whsec_ form.
    const rows = (await q.query(`SELECT id, secret FROM webhooks WHERE secret LIKE 'whsec\\_%'`)) as {
      id: string;
      secret: string;
    }[];
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    for (const { id, secret } of rows) {
      let text: string;
      try {
        text = utf8.decode(Buffer.from(secret.slice('whsec_'.length), 'base64'));
      } catch {
        continue;
      }
      if (text.length === 0 || text.includes('\0')) continue;
      await q.query(`UPDATE webhooks SET secret = $2 WHERE id = $1`, [id, text]);
    }
  }
}
