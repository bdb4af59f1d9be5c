import { registerEnumType } from '@nestjs/graphql';

export { ARTICLE_STATUSES, type ArticleStatus } from './article-schema';

/** The GraphQL enum ArticleStatus; its values are the lower-case names REST uses. */
export const ArticleStatusEnum = {
  draft: 'draft',
  scheduled: 'scheduled',
  published: 'published',
  archived: 'archived',
} as const;
registerEnumType(ArticleStatusEnum, { name: 'ArticleStatus' });
