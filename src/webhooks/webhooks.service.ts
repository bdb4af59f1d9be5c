import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { CreateWebhookInput } from './dto/create-webhook.input';
import { parseWebhookUrl, webhookUrlProblem } from './private-address';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WebhookRepository, type DeliveryRecord, type WebhookRecord } from './webhook.repository';
import type { Webhook, WebhookDelivery } from './webhook.model';

const DEFAULT_DELIVERIES_LIMIT = 50;

function toWebhook(r: WebhookRecord): Webhook {
  return { id: r.id, url: r.url, events: r.events, createdAt: r.createdAt.toISOString() };
}

function toDelivery(r: DeliveryRecord): WebhookDelivery {
  return {
    id: r.id,
    messageId: r.messageId,
    redeliveryOf: r.redeliveryOf,
    event: r.event,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.lastStatusCode,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt ? r.deliveredAt.toISOString() : null,
  };
}

@Injectable()
export class WebhooksService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly webhooks: WebhookRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly audit: AuditService,
  ) {}

  async create(input: CreateWebhookInput, actor: Actor): Promise<Webhook> {
    const problem = await webhookUrlProblem(input.url, this.config.webhookAllowPrivateUrls);
    if (problem) throw DomainError.validation([{ path: 'url', message: problem }]);
    // Stored as parsed, so deliveries go exactly where the check looked.
    const url = parseWebhookUrl(input.url)!.href;
    const created = await this.webhooks.transaction(async (m) => {
      const row = await this.webhooks.insert({ url, events: input.events, secret: input.secret }, m);
      await this.audit.record(m, actor, {
        action: 'webhook.create',
        entityType: 'webhook',
        entityId: row.id,
        summary: `created a webhook to ${url} for ${input.events.join(', ')}`,
      });
      return row;
    });
    return toWebhook(created);
  }

  async list(): Promise<Webhook[]> {
    return (await this.webhooks.listLive()).map(toWebhook);
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.webhooks.transaction(async (m) => {
      if (!(await this.webhooks.softDelete(id, m))) throw this.notFound(id);
      await this.audit.record(m, actor, {
        action: 'webhook.delete',
        entityType: 'webhook',
        entityId: id,
        summary: 'deleted the webhook',
      });
    });
  }

  async deliveries(id: string, limit = DEFAULT_DELIVERIES_LIMIT): Promise<WebhookDelivery[]> {
    if (!(await this.webhooks.existsLive(id))) throw this.notFound(id);
    return (await this.webhooks.listDeliveries(id, limit)).map(toDelivery);
  }

  /**
   * Sends a delivery's message again, as a new delivery with its own tries and outcome. It keeps
   * the message's `webhook-id` and body, as the specification asks of a message sent again: a
   * receiver that already handled it can recognise it, one that lost it handles it now.
   */
  async redeliver(id: string, deliveryId: string, actor: Actor): Promise<WebhookDelivery> {
    const created = await this.webhooks.transaction(async (m) => {
      const row = await this.webhooks.insertRedelivery(id, deliveryId, m);
      if (row)
        await this.audit.record(m, actor, {
          action: 'webhook.redeliver',
          entityType: 'webhook',
          entityId: id,
          summary: `sent delivery ${deliveryId} again`,
        });
      return row;
    });
    if (!created) {
      if (!(await this.webhooks.existsLive(id))) throw this.notFound(id);
      throw new DomainError('WEBHOOK_DELIVERY_NOT_FOUND', `Webhook ${id} has no delivery ${deliveryId}.`);
    }
    this.dispatcher.nudge();
    return toDelivery(created);
  }

  private notFound(id: string): DomainError {
    return new DomainError('WEBHOOK_NOT_FOUND', `No webhook ${id}.`);
  }
}
