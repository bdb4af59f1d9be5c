import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook-events';

export interface OutboxRow {
  event: WebhookEvent;
  articleId: string;
  payload: Record<string, unknown>;
  availableAt: Date | null;
}

@Injectable()
export class OutboxRepository {
  /**
   * Written with the caller's manager, so the events commit or roll back with the change. One
   * statement for any number of rows (an import batch).
   */
  async insert(manager: EntityManager, rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO outbox_events (event, article_id, payload, available_at)
       SELECT e.event, e.article_id, e.payload, coalesce(e.available_at, now())
         FROM unnest($1::varchar[], $2::uuid[], $3::jsonb[], $4::timestamptz[])
              AS e(event, article_id, payload, available_at)`,
      [
        rows.map((r) => r.event),
        rows.map((r) => r.articleId),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => r.availableAt),
      ],
    );
  }

  /** Drops these articles' events that are still waiting for a future time; how many there were. */
  async cancelScheduled(manager: EntityManager, articleIds: string[], event: WebhookEvent): Promise<number> {
    if (!articleIds.length) return 0;
    const rows: unknown[] = await manager.query(
      `WITH cancelled AS (
         DELETE FROM outbox_events
          WHERE article_id = ANY($1::uuid[]) AND event = $2 AND fanned_out_at IS NULL AND available_at > now()
         RETURNING id
       )
       SELECT id FROM cancelled`,
      [articleIds, event],
    );
    return rows.length;
  }
}
