import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { WebhookEntity } from './webhook.entity';
import type { DeliveryStatus, WebhookEvent } from './webhook-events';

/** A webhook as the service sees it: never with its secret. */
export interface WebhookRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: Date;
}

export interface DeliveryRecord {
  id: string;
  messageId: string;
  redeliveryOf: string | null;
  event: WebhookEvent;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const DELIVERY_COLUMNS = `id, coalesce(redelivery_of, id) AS "messageId", redelivery_of AS "redeliveryOf",
  event, status, attempts, last_status_code AS "lastStatusCode", last_error AS "lastError",
  created_at AS "createdAt", delivered_at AS "deliveredAt"`;

@Injectable()
export class WebhookRepository {
  private readonly repo: Repository<WebhookEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.repo = dataSource.getRepository(WebhookEntity);
  }

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  async insert(
    row: { url: string; events: WebhookEvent[]; secret: string },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WebhookRecord> {
    const repo = manager.getRepository(WebhookEntity);
    const saved = await repo.save(repo.create(row));
    return { id: saved.id, url: saved.url, events: saved.events, createdAt: saved.createdAt };
  }

  async listLive(): Promise<WebhookRecord[]> {
    return this.dataSource.query(
      `SELECT id, url, events, created_at AS "createdAt"
         FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at, id`,
    );
  }

  async existsLive(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM webhooks WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Soft-deletes a live webhook and, in the same statement, ends its pending deliveries (a try in
   * flight may finish, but its outcome no longer changes them). False when there was none.
   */
  async softDelete(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: { id: string }[] = await manager.query(
      `WITH gone AS (
         UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id
       ), stopped AS (
         UPDATE webhook_deliveries
            SET status = 'failed', last_error = 'webhook deleted', updated_at = now()
          WHERE webhook_id IN (SELECT id FROM gone) AND status = 'pending'
       )
       SELECT id FROM gone`,
      [id],
    );
    return rows.length > 0;
  }

  /** Newest first: by fan-out (or redelivery) time, then by the order the events happened. */
  async listDeliveries(webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}
         FROM webhook_deliveries
        WHERE webhook_id = $1
        ORDER BY created_at DESC, event_id DESC
        LIMIT $2`,
      [webhookId, limit],
    );
  }

  /**
   * A new pending delivery of a live webhook's delivery: the same event, for the dispatcher to send
   * like any other (with retries). It points at the first delivery of the message, whose id stays
   * the `webhook-id`. Null when the webhook is not live or the delivery is not one of its own.
   */
  async insertRedelivery(
    webhookId: string,
    deliveryId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<DeliveryRecord | null> {
    const rows: DeliveryRecord[] = await manager.query(
      `WITH original AS (
         SELECT d.id, d.redelivery_of, d.webhook_id, d.event_id, d.event
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.deleted_at IS NULL
          WHERE d.id = $2 AND d.webhook_id = $1
       ), created AS (
         INSERT INTO webhook_deliveries (webhook_id, event_id, event, redelivery_of, next_attempt_at)
         SELECT webhook_id, event_id, event, coalesce(redelivery_of, id), $3::timestamptz FROM original
         RETURNING ${DELIVERY_COLUMNS}
       )
       SELECT * FROM created`,
      [webhookId, deliveryId, this.clock.date()],
    );
    return rows[0] ?? null;
  }
}
