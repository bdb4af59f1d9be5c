import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ArticleEntity, TagEntity } from '../articles/article.entity';
import { SectionEntity } from '../sections/section.entity';
import { WebhookEntity } from '../webhooks/webhook.entity';

/** Every table mapping; entities never leave their feature's repository. */
export const ENTITIES = [SectionEntity, ApiKeyEntity, ArticleEntity, TagEntity, WebhookEntity];
