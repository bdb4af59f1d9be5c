import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1795952000000 implements MigrationInterface {
  name = 'CreateWebhooks1795952000000';

  async up(q: QueryRunner): Promise<void> {
    // The secret is kept as written: it is needed to sign every delivery. It is never listed.
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX webhooks_live_idx ON webhooks (created_at) WHERE deleted_at IS NULL`);

    // Written in the same transaction as the article change. available_at in the future holds a
    // scheduled article's publish event until its time comes; fanned_out_at marks it handled.
    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        event varchar(64) NOT NULL,
        article_id uuid,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        available_at timestamptz NOT NULL DEFAULT now(),
        fanned_out_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX outbox_events_due_idx ON outbox_events (available_at, id) WHERE fanned_out_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX outbox_events_article_idx ON outbox_events (article_id) WHERE fanned_out_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_id bigint NOT NULL REFERENCES outbox_events(id) ON DELETE CASCADE,
        event varchar(64) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status_code int,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT webhook_deliveries_webhook_event_key UNIQUE (webhook_id, event_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, event_id DESC)`,
    );
    await q.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE outbox_events`);
    await q.query(`DROP TABLE webhooks`);
  }
}
