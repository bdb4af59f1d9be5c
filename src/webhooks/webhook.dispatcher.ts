import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { retryDelayMs } from './retry-delay';
import { WebhookDeliveryRepository, type ClaimedDelivery } from './webhook-delivery.repository';
import { sendWebhook } from './webhook.sender';

/** Outbox events turned into deliveries per statement. */
const FAN_OUT_BATCH = 100;
/** Deliveries one instance has in flight at most. */
const MAX_IN_FLIGHT = 16;
/** Beyond the send timeout, how long a claimed delivery stays reserved for the instance sending it. */
const LEASE_MARGIN_MS = 30_000;
/** While the database keeps failing, one warning per this interval. */
const WARN_EVERY_MS = 60_000;

/**
 * Delivers webhook events from the outbox. Every instance runs one; they share the work through
 * row locks (see WebhookDeliveryRepository), so each delivery is sent by one instance at a time.
 * It polls every webhookPollIntervalMs and is nudged when this instance commits an event.
 * createApp starts it once migrations have run; it stops, letting tries in flight finish, when
 * the application shuts down.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | null = null;
  private nudged = false;
  /** The last claim filled every free slot: there may be more due deliveries waiting. */
  private backlog = false;
  private readonly inFlight = new Set<Promise<void>>();
  private lastWarnAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveryRepository,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Look for work now rather than at the next poll (an event was just committed here). */
  nudge(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.nudged = true;
      return;
    }
    this.schedule(0);
  }

  /** Resolves when no try is in flight (used on shutdown, and by tests to observe outcomes). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
    await this.settle();
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pass) this.nudged = true;
      else this.pass = this.run().finally(() => (this.pass = null));
    }, ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      let more: boolean;
      do {
        this.nudged = false;
        more = await this.step();
      } while ((more || this.nudged) && !this.stopped);
      this.lastWarnAt = 0;
    } catch (err) {
      // The database may be restarting or failing over: keep polling, warn now and then.
      if (Date.now() - this.lastWarnAt > WARN_EVERY_MS) {
        this.lastWarnAt = Date.now();
        this.logger.warn(
          `webhook dispatch failed, will retry: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    if (!this.stopped) this.schedule(this.config.webhookPollIntervalMs);
  }

  /** One round of fan-out and claiming; true when more work may be due right away. */
  private async step(): Promise<boolean> {
    const fanned = await this.deliveries.fanOut(FAN_OUT_BATCH);
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    let claimed: ClaimedDelivery[] = [];
    if (room > 0 && !this.stopped) {
      claimed = await this.deliveries.claimDue(room, this.config.webhookTimeoutMs + LEASE_MARGIN_MS);
      for (const delivery of claimed) this.track(this.deliver(delivery));
    }
    this.backlog = room > 0 && claimed.length === room;
    return fanned === FAN_OUT_BATCH || this.backlog;
  }

  private track(attempt: Promise<void>): void {
    this.inFlight.add(attempt);
    void attempt.finally(() => {
      this.inFlight.delete(attempt);
      if (this.backlog) this.nudge();
    });
  }

  /** One try and its recorded outcome; never rejects. */
  private async deliver(d: ClaimedDelivery): Promise<void> {
    try {
      // The same bytes on every try and redelivery of the message: only the timestamp and the
      // signature change, so a receiver may keep the first copy it processed.
      const body = Buffer.from(
        JSON.stringify({
          id: d.messageId,
          event: d.event,
          createdAt: d.occurredAt.toISOString(),
          data: d.payload,
        }),
        'utf8',
      );
      const outcome = await sendWebhook(
        { url: d.url, secret: d.secret, messageId: d.messageId, event: d.event, body },
        { timeoutMs: this.config.webhookTimeoutMs, allowPrivate: this.config.webhookAllowPrivateUrls },
      );
      if (outcome.ok && outcome.statusCode !== null) {
        await this.deliveries.markSucceeded(d.id, outcome.statusCode);
      } else {
        const attempt = d.attempts + 1;
        await this.deliveries.markAttemptFailed(d.id, {
          statusCode: outcome.statusCode,
          error: outcome.error,
          retryInMs: retryDelayMs(attempt, this.config.webhookRetryBaseMs, this.config.webhookRetryMaxMs),
          maxAttempts: this.config.webhookMaxAttempts,
        });
      }
    } catch (err) {
      // Not recorded: the lease runs out and the delivery is tried again (at least once, never lost).
      this.logger.warn(
        `could not record webhook delivery ${d.id}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}
