import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { ArticleRecord } from '../articles/article-reader.service';
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
  ): Promise<Suggestion[]> {
    return this.service.of(sourceOf(a), first, 'record');
  }
}
