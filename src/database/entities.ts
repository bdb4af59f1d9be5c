import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { SectionEntity } from '../sections/section.entity';
import { WebhookEntity } from '../webhooks/webhook.entity';

/**
 * Every table mapping; entities never leave their feature's repository. Articles and tags have
 * none: ArticleRepository reads and ArticleStore writes them in SQL.
 */
export const ENTITIES = [SectionEntity, ApiKeyEntity, WebhookEntity];
