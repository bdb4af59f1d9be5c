import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import type { WebhookEvent } from './webhook-events';

/** A delivery claimed for one try, with what is needed to send it. */
export interface ClaimedDelivery {
  id: string;
  /** The `webhook-id` and body `id`: the first delivery's id, also for a redelivery. */
  messageId: string;
  event: WebhookEvent;
  /** Tries made before this one. */
  attempts: number;
  url: string;
  secret: string;
  payload: Record<string, unknown>;
  /** When the event took effect (a scheduled publish: its publication time). */
  occurredAt: Date;
}

/**
 * The dispatcher's statements (each a WITH … SELECT: TypeORM answers a bare UPDATE … RETURNING
 * with [rows, count] instead of the rows). Each one claims rows with FOR UPDATE SKIP LOCKED, so instances
 * sharing the database never take the same row, and is a single statement (one transaction).
 */
@Injectable()
export class WebhookDeliveryRepository {
  /** Due and retry times are the Clock's, so a test moves its clock instead of waiting. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Turns due outbox events into one pending delivery per subscribed live webhook and marks the
   * events fanned out. Returns how many events it handled.
   */
  async fanOut(limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH due AS (
         SELECT id, event FROM outbox_events
          WHERE fanned_out_at IS NULL AND available_at <= $2::timestamptz
          ORDER BY available_at, id
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), created AS (
         INSERT INTO webhook_deliveries (webhook_id, event_id, event, next_attempt_at)
         SELECT w.id, due.id, due.event, $2::timestamptz
           FROM due JOIN webhooks w ON w.deleted_at IS NULL AND due.event = ANY (w.events)
         ON CONFLICT (webhook_id, event_id) WHERE redelivery_of IS NULL DO NOTHING
       )
       , marked AS (
         UPDATE outbox_events o SET fanned_out_at = now() FROM due WHERE o.id = due.id RETURNING o.id
       )
       SELECT id FROM marked`,
      [limit, this.clock.date()],
    );
    return rows.length;
  }

  /**
   * Claims due pending deliveries for one try each: their next_attempt_at moves a lease ahead,
   * so no other instance takes them while they are in flight. A try whose instance dies is made
   * again when the lease ends.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= $3::timestamptz
          ORDER BY next_attempt_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE webhook_deliveries d
            SET next_attempt_at = $3::timestamptz + $2::float8 * interval '1 millisecond', updated_at = now()
           FROM due, webhooks w, outbox_events e
          WHERE d.id = due.id AND w.id = d.webhook_id AND e.id = d.event_id
         RETURNING d.id, coalesce(d.redelivery_of, d.id) AS "messageId", d.event, d.attempts, w.url, w.secret, e.payload, e.available_at AS "occurredAt"
       )
       SELECT * FROM leased`,
      [limit, leaseMs, this.clock.date()],
    );
  }

  async markSucceeded(id: string, statusCode: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET status = 'succeeded', attempts = attempts + 1, last_status_code = $2, last_error = NULL,
              delivered_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, statusCode],
    );
  }

  /** Records a failed try: retried after retryInMs, or failed for good at maxAttempts. */
  async markAttemptFailed(
    id: string,
    outcome: { statusCode: number | null; error: string | null; retryInMs: number; maxAttempts: number },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1,
              status = CASE WHEN attempts + 1 >= $5::int THEN 'failed' ELSE 'pending' END,
              next_attempt_at = $6::timestamptz + $4::float8 * interval '1 millisecond',
              last_status_code = $2, last_error = $3, updated_at = now()
        WHERE id = $1 AND status = 'pending'`,
      [id, outcome.statusCode, outcome.error, outcome.retryInMs, outcome.maxAttempts, this.clock.date()],
    );
  }
}
