import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ArticleRecord } from '../articles/article-reader.service';
import { recordShown } from '../articles/read-cache/graphql-answer-cache';
import type { GraphqlContext } from '../common/graphql/graphql.config';
import { Article, type ArticleSummary } from '../articles/article.model';
import { RelatedService } from './related.service';
import { Suggestion } from './suggestion.model';
import { sourceOf } from './suggestions';

@Resolver(() => Article)
export class RelatedResolver {
  constructor(private readonly service: RelatedService) {}

  @ResolveField(() => [Suggestion], {
    description: 'Editor pins first, then by shared tags, section and similar text; public articles only.',
  })
  async related(
    @Parent() a: ArticleRecord | ArticleSummary,
    @Args('first', { type: () => Int, defaultValue: 5 }) first: number,
    @Context() ctx: GraphqlContext,
  ): Promise<Suggestion[]> {
    const suggestions = await this.service.of(sourceOf(a), first, 'record');
    recordShown(
      ctx.req,
      suggestions.map((s) => s.article.id),
    );
    return suggestions;
  }
}
