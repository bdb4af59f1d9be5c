import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { Clock } from '../common/clock/clock';
import { OutboxRepository } from './outbox.repository';
import { WebhookDispatcher } from './webhook.dispatcher';
import type { WebhookEvent } from './webhook-events';

export type OutboxEventName = WebhookEvent;

/** What a webhook receives in `data`; the article's id at least. */
export interface OutboxPayload {
  articleId: string;
  [key: string]: unknown;
}

export interface OutboxEvent {
  event: OutboxEventName;
  payload: OutboxPayload;
  /** A future time holds the event back until then (a scheduled article's publish event). */
  availableAt?: Date;
}

/** What one write (or one import batch) does to the outbox: see planArticleEvents. */
export interface OutboxPlan {
  /** Articles whose waiting `article.published` is dropped, before the events below are added. */
  cancelScheduled: string[];
  events: OutboxEvent[];
}

/**
 * The transactional outbox: article writes record their webhook events here, inside their own
 * transaction, so an event exists exactly when the change committed. The dispatcher delivers them.
 */
@Injectable()
export class OutboxService implements EntitySubscriberInterface, OnModuleDestroy {
  /** Transactions that enqueued an event: the dispatcher is nudged when they commit. */
  private readonly waiting = new WeakSet<QueryRunner>();

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    dataSource.subscribers.push(this);
  }

  /**
   * Records an event with the caller's transaction manager. availableAt in the future holds it
   * until then (a scheduled article's publish event: pass its publishedAt).
   */
  enqueue(
    manager: EntityManager,
    event: OutboxEventName,
    payload: OutboxPayload,
    availableAt?: Date,
  ): Promise<void> {
    return this.enqueueMany(manager, [{ event, payload, availableAt }]);
  }

  /**
   * A write's planned events, with the caller's transaction manager: first the cancellations,
   * then the new events, each in one statement whatever the number of articles (an import batch).
   */
  async record(manager: EntityManager, plan: OutboxPlan): Promise<void> {
    if (plan.cancelScheduled.length)
      await this.outbox.cancelScheduled(manager, plan.cancelScheduled, 'article.published');
    await this.enqueueMany(manager, plan.events);
  }

  /** Several events in one statement (an import batch), with the caller's transaction manager. */
  async enqueueMany(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.outbox.insert(
      manager,
      events.map((e) => ({
        event: e.event,
        articleId: e.payload.articleId,
        payload: e.payload,
        availableAt: e.availableAt ?? null,
      })),
    );
    const now = this.clock.now();
    if (events.every((e) => e.availableAt && e.availableAt.getTime() > now)) return;
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) this.waiting.add(runner);
    else this.dispatcher.nudge();
  }

  /**
   * Drops an article's events of this kind that still wait for a future time: call it in the
   * transaction that unpublishes, reschedules or deletes a scheduled article.
   */
  cancelScheduled(
    manager: EntityManager,
    articleId: string,
    event: OutboxEventName = 'article.published',
  ): Promise<number> {
    return this.outbox.cancelScheduled(manager, [articleId], event);
  }

  afterTransactionCommit(e: TransactionCommitEvent): void {
    // Also called when a savepoint is released; only the outermost commit makes the event visible.
    if (!e.queryRunner.isTransactionActive && this.waiting.delete(e.queryRunner)) this.dispatcher.nudge();
  }

  afterTransactionRollback(e: TransactionRollbackEvent): void {
    if (!e.queryRunner.isTransactionActive) this.waiting.delete(e.queryRunner);
  }

  onModuleDestroy(): void {
    const i = this.dataSource.subscribers.indexOf(this);
    if (i >= 0) this.dataSource.subscribers.splice(i, 1);
  }
}
