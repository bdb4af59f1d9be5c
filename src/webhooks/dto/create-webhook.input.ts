import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events';

export class CreateWebhookInput {
  @ApiProperty({
    example: 'https://frontend.example.com/hooks/dateline',
    description:
      'http or https; not a loopback, private or link-local address unless WEBHOOK_ALLOW_PRIVATE_URLS.',
    maxLength: 2000,
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, minItems: 1 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}` })
  events!: WebhookEvent[];

  @ApiProperty({
    minLength: 16,
    maxLength: 256,
    description:
      'Signs every delivery: `X-Dateline-Signature: sha256=<HMAC-SHA256 of the body>`. Never shown again.',
  })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret!: string;
}
