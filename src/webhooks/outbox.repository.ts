import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEvent } from './webhook-events';

@Injectable()
export class OutboxRepository {
  /** Written with the caller's manager, so the event commits or rolls back with the change. */
  async insert(
    manager: EntityManager,
    row: {
      event: WebhookEvent;
      articleId: string;
      payload: Record<string, unknown>;
      availableAt: Date | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO outbox_events (event, article_id, payload, available_at)
       VALUES ($1, $2, $3::jsonb, coalesce($4::timestamptz, now()))`,
      [row.event, row.articleId, JSON.stringify(row.payload), row.availableAt],
    );
  }

  /** Drops an article's events that are still waiting for a future time; how many there were. */
  async cancelScheduled(manager: EntityManager, articleId: string, event: WebhookEvent): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH cancelled AS (
         DELETE FROM outbox_events
          WHERE article_id = $1 AND event = $2 AND fanned_out_at IS NULL AND available_at > now()
         RETURNING id
       )
       SELECT id FROM cancelled`,
      [articleId, event],
    );
    return rows.length;
  }
}
