import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ArticleReader, type ArticleRecord } from '../articles/article-reader.service';
import { Article, type ArticleSummary } from '../articles/article.model';
import { Public } from '../common/auth/decorators';
import { DomainError } from '../common/errors/domain-error';
import { parseIdOrSlug, SLUG_PATTERN } from '../common/http/id-or-slug.pipe';
import { Suggestion } from '../related/suggestion.model';
import { sourceOf } from '../related/suggestions';
import { RECOMMENDATION_DOCS } from './recommendations.controller';
import { RecommendationsService } from './recommendations.service';

function checkArgs(clientId: string | undefined, section: string | undefined): void {
  if (clientId !== undefined && (clientId.length < 1 || clientId.length > 128))
    throw DomainError.validation([{ path: 'clientId', message: 'must be 1 to 128 characters' }]);
  if (section !== undefined && !SLUG_PATTERN.test(section))
    throw DomainError.validation([{ path: 'section', message: 'must be a slug' }]);
}

@Resolver(() => Article)
export class RecommendationsResolver {
  constructor(
    private readonly service: RecommendationsService,
    private readonly reader: ArticleReader,
  ) {}

  @Query(() => [Suggestion], { description: RECOMMENDATION_DOCS })
  @Public()
  async recommendations(
    @Args('articleId', { type: () => ID, nullable: true }) articleId: string | undefined,
    @Args('clientId', { type: () => String, nullable: true }) clientId: string | undefined,
    @Args('section', { type: () => String, nullable: true }) section: string | undefined,
    @Args('first', { type: () => Int, defaultValue: 5 }) first: number,
  ): Promise<Suggestion[]> {
    checkArgs(clientId ?? undefined, section ?? undefined);
    let current: ArticleRecord | null = null;
    if (articleId) {
      current = await this.reader.findRecord(parseIdOrSlug(articleId, 'articleId'), { editor: false });
      if (!current) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    }
    return this.service.recommend(
      { current, clientId: clientId ?? undefined, section: section ?? undefined, limit: first },
      'record',
    );
  }

  @ResolveField('recommendations', () => [Suggestion], { description: RECOMMENDATION_DOCS })
  async articleRecommendations(
    @Parent() a: ArticleRecord | ArticleSummary,
    @Args('first', { type: () => Int, defaultValue: 5 }) first: number,
    @Args('clientId', { type: () => String, nullable: true }) clientId: string | undefined,
  ): Promise<Suggestion[]> {
    checkArgs(clientId ?? undefined, undefined);
    return this.service.recommend(
      { current: sourceOf(a), clientId: clientId ?? undefined, limit: first },
      'record',
    );
  }
}
