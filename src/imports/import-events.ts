import type { ArticleEventSink } from '../articles/article-batch';
import type { OutboxRepository } from '../webhooks/outbox.repository';

/** Where an import batch records its webhook events: OutboxService.record in the server. */
export type ImportEvents = ArticleEventSink;

export const IMPORT_EVENTS = Symbol('IMPORT_EVENTS');

/**
 * The command line's direct mode has no dispatcher: events go into the outbox table, and a
 * running server's dispatcher delivers them on its next poll.
 */
export function outboxOnly(outbox: OutboxRepository): ImportEvents {
  return {
    record: async (manager, plan) => {
      await outbox.cancelScheduled(manager, plan.cancelScheduled, 'article.published');
      await outbox.insert(
        manager,
        plan.events.map((e) => ({
          event: e.event,
          articleId: e.payload.articleId,
          payload: e.payload,
          availableAt: e.availableAt ?? null,
        })),
      );
    },
  };
}
