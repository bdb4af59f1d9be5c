import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import type { WebhookEvent } from './webhook-events';

export interface OutboxRow {
  event: WebhookEvent;
  articleId: string;
  payload: Record<string, unknown>;
  availableAt: Date | null;
}

/** The outbox's SQL. An event without a time is due at the Clock's now, not PostgreSQL's. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly clock: Clock) {}

  /**
   * Written with the caller's manager, so the events commit or roll back with the change. One
   * statement for any number of rows (an import batch).
   */
  async insert(manager: EntityManager, rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO outbox_events (event, article_id, payload, available_at)
       SELECT e.event, e.article_id, e.payload, coalesce(e.available_at, $5::timestamptz)
         FROM unnest($1::varchar[], $2::uuid[], $3::jsonb[], $4::timestamptz[])
              AS e(event, article_id, payload, available_at)`,
      [
        rows.map((r) => r.event),
        rows.map((r) => r.articleId),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.availableAt),
        this.clock.date(),
      ],
    );
  }

  /** Drops these articles' events that are still waiting for a future time; how many there were. */
  async cancelScheduled(manager: EntityManager, articleIds: string[], event: WebhookEvent): Promise<number> {
    if (!articleIds.length) return 0;
    const rows: unknown[] = await manager.query(
      `WITH cancelled AS (
         DELETE FROM outbox_events
          WHERE article_id = ANY($1::uuid[]) AND event = $2 AND fanned_out_at IS NULL AND available_at > $3::timestamptz
         RETURNING id
       )
       SELECT id FROM cancelled`,
      [articleIds, event, this.clock.date()],
    );
    return rows.length;
  }
}
