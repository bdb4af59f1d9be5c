import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENTS, type DeliveryStatus, type WebhookEvent } from './webhook-events';

const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'succeeded', 'failed'];

export class Webhook {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://frontend.example.com/hooks/dateline' }) url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['article.published', 'article.updated'] })
  events!: WebhookEvent[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class WebhookList {
  @ApiProperty({ type: [Webhook], description: 'Live webhooks, oldest first; secrets are never listed.' })
  data!: Webhook[];
}

export class WebhookDelivery {
  @ApiProperty({ format: 'uuid', description: 'This delivery; a redelivery is a delivery of its own.' })
  id!: string;
  @ApiProperty({
    format: 'uuid',
    description:
      "The `webhook-id` header and the body `id`: the first delivery's id, the same on every try and " +
      'every redelivery, so a receiver can tell a message it already handled.',
  })
  messageId!: string;
  @ApiProperty({
    format: 'uuid',
    type: String,
    nullable: true,
    description: 'For a redelivery, the first delivery of the message; null otherwise.',
  })
  redeliveryOf!: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event!: WebhookEvent;
  @ApiProperty({ enum: DELIVERY_STATUSES, description: '`failed` after WEBHOOK_MAX_ATTEMPTS tries.' })
  status!: DeliveryStatus;
  @ApiProperty({ description: 'Tries made so far.' }) attempts!: number;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's last HTTP status." })
  lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', type: String, nullable: true }) deliveredAt!: string | null;
}

export class WebhookDeliveryList {
  @ApiProperty({ type: [WebhookDelivery], description: 'Newest first.' })
  data!: WebhookDelivery[];
}
