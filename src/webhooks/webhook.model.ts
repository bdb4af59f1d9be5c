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
  @ApiProperty({ format: 'uuid', description: 'Also the `X-Dateline-Delivery` header and the body `id`.' })
  id!: string;
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
