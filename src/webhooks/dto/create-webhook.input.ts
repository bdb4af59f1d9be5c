import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, MaxLength, ValidateBy } from 'class-validator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events';
import { secretProblem } from '../webhook-signature';

/** A Standard Webhooks secret (`whsec_…`) that receivers' libraries accept. */
function IsWebhookSecret(): PropertyDecorator {
  return ValidateBy({
    name: 'isWebhookSecret',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && secretProblem(value) === null,
      defaultMessage: (args) => secretProblem(String(args?.value ?? '')) ?? 'is not a webhook secret',
    },
  });
}

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
    pattern: '^whsec_[A-Za-z0-9+/]+={0,2}$',
    minLength: 38,
    maxLength: 94,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description:
      'A Standard Webhooks secret: `whsec_` followed by the base64 (standard alphabet, padded) of 24 to 64 ' +
      'random bytes, e.g. `echo whsec_$(openssl rand -base64 32)`. Every delivery is signed with the decoded ' +
      'bytes per https://www.standardwebhooks.com: headers `webhook-id` (the same on retries and ' +
      'redeliveries), `webhook-timestamp` (unix seconds of the try) and `webhook-signature: v1,<base64 ' +
      'HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, so any Standard Webhooks library ' +
      'verifies it (`new Webhook(secret).verify(body, headers)`). Never shown again.',
  })
  @IsString()
  @IsWebhookSecret()
  secret!: string;
}
