import { registerEnumType } from '@nestjs/graphql';

export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** The GraphQL enum ArticleStatus; its values are the lower-case names REST uses. */
export const ArticleStatusEnum = {
  draft: 'draft',
  scheduled: 'scheduled',
  published: 'published',
  archived: 'archived',
} as const;
registerEnumType(ArticleStatusEnum, { name: 'ArticleStatus' });
