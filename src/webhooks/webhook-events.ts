/** The events a webhook can subscribe to; the article writes enqueue them. */
export const WEBHOOK_EVENTS = [
  'article.published',
  'article.updated',
  'article.unpublished',
  'article.deleted',
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';
