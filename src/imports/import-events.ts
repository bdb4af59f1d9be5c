import type { EntityManager } from 'typeorm';
import type { OutboxPayload } from '../webhooks/outbox.service';
import type { OutboxRepository } from '../webhooks/outbox.repository';
import type { WebhookEvent } from '../webhooks/webhook-events';

/** Where an import batch records its webhook events: OutboxService.enqueueMany in the server. */
export interface ImportEvents {
  enqueueMany(
    manager: EntityManager,
    events: { event: WebhookEvent; payload: OutboxPayload; availableAt?: Date }[],
  ): Promise<void>;
}

export const IMPORT_EVENTS = Symbol('IMPORT_EVENTS');

/**
 * The command line's direct mode has no dispatcher: events go into the outbox table, and a
 * running server's dispatcher delivers them on its next poll.
 */
export function outboxOnly(outbox: OutboxRepository): ImportEvents {
  return {
    enqueueMany: (manager, events) =>
      outbox.insert(
        manager,
        events.map((e) => ({
          event: e.event,
          articleId: e.payload.articleId,
          payload: e.payload,
          availableAt: e.availableAt ?? null,
        })),
      ),
  };
}
