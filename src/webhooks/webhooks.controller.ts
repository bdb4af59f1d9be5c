import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, RequireRole } from '../common/auth/decorators';
import { Problems } from '../common/errors/problems.decorator';
import { UuidPipe } from '../common/http/id-or-slug.pipe';
import { CreateWebhookInput } from './dto/create-webhook.input';
import { ListDeliveriesArgs } from './dto/list-deliveries.args';
import { Webhook, WebhookDelivery, WebhookDeliveryList, WebhookList } from './webhook.model';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@RequireRole('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ type: Webhook, description: 'The secret is not echoed back.' })
  create(@Body() input: CreateWebhookInput, @CurrentActor() actor: Actor): Promise<Webhook> {
    return this.webhooks.create(input, actor);
  }

  @Get()
  @ApiOkResponse({ type: WebhookList })
  async list(): Promise<WebhookList> {
    return { data: await this.webhooks.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @Problems('WEBHOOK_NOT_FOUND')
  @ApiNoContentResponse({ description: 'Deleted; its pending deliveries stop.' })
  remove(@Param('id', UuidPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.webhooks.remove(id, actor);
  }

  @Get(':id/deliveries')
  @Problems('WEBHOOK_NOT_FOUND')
  @ApiOkResponse({ type: WebhookDeliveryList })
  async deliveries(
    @Param('id', UuidPipe) id: string,
    @Query() args: ListDeliveriesArgs,
  ): Promise<WebhookDeliveryList> {
    return { data: await this.webhooks.deliveries(id, args.limit) };
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @Problems('WEBHOOK_NOT_FOUND', 'WEBHOOK_DELIVERY_NOT_FOUND')
  @ApiAcceptedResponse({
    type: WebhookDelivery,
    description:
      'A new delivery of the same message (same `webhook-id` and body, a fresh `webhook-timestamp`), ' +
      'sent and retried like any other and listed in the deliveries as its own entry.',
  })
  redeliver(
    @Param('id', UuidPipe) id: string,
    @Param('deliveryId', UuidPipe) deliveryId: string,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(id, deliveryId, actor);
  }
}
