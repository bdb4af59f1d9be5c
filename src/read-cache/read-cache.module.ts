import { Module } from '@nestjs/common';
import { ArticleCache } from './article-cache';
import { GraphqlAnswerCache } from './graphql-answer-cache';
import { GraphqlAnswerPlugin } from './graphql-answer-plugin';
import { GraphqlFastPath } from './graphql-fast-path';
import { ListCache } from './list-cache';

/**
 * The read cache: public articles (ArticleCache), REST lists (ListCache) and GraphQL answers
 * (GraphqlAnswerCache, recorded by GraphqlAnswerPlugin and answered by GraphqlFastPath), all
 * dropped through CacheInvalidation. Features read through it; it owns no SQL (the articles
 * feature hands it a reader of reaction counts).
 */
@Module({
  providers: [ArticleCache, ListCache, GraphqlAnswerCache, GraphqlAnswerPlugin, GraphqlFastPath],
  exports: [ArticleCache, ListCache, GraphqlAnswerCache, GraphqlFastPath],
})
export class ReadCacheModule {}
