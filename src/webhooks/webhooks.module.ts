import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookDispatcher } from './webhook.dispatcher';
import { WebhookRepository } from './webhook.repository';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Webhooks: the admin API, the outbox article writes enqueue into, and the dispatcher. */
@Module({
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhookRepository,
    OutboxService,
    OutboxRepository,
    WebhookDeliveryRepository,
    WebhookDispatcher,
  ],
  exports: [OutboxService, WebhookDispatcher],
})
export class WebhooksModule {}
