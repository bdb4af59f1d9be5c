import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { viewerOf } from '../articles/articles.service';
import { articleKeys } from '../articles/article-surrogate-keys';
import type { ArticleSummary } from '../articles/article.model';
import { CurrentPrincipal, Public } from '../common/auth/decorators';
import type { Principal } from '../common/auth/role';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { IdOrSlugPipe, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import { LimitQuery } from './limit.query';
import { RelatedService } from './related.service';
import { SuggestionList } from './suggestion.model';
import { Problems } from '../common/errors/problems.decorator';

export const suggestionKeys = (body: unknown) =>
  (body as { data: { article: ArticleSummary }[] }).data.flatMap((s) => articleKeys(s.article));

@ApiTags('articles')
@Controller('articles')
export class RelatedController {
  constructor(private readonly related: RelatedService) {}

  @Get(':idOrSlug/related')
  @Public()
  @HttpCached(suggestionKeys)
  @ApiOperation({
    summary: 'Articles related to this one',
    description:
      "Editor pins first in their order (reason editor-pick), then by shared tags, the article's section " +
      'and its ancestors, and full-text similarity, decayed by age; reason names the strongest signal. ' +
      'Never the article itself, never an unpublished one.',
  })
  @Problems('ARTICLE_NOT_FOUND')
  @ApiOkResponse({ type: SuggestionList })
  async list(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Query() q: LimitQuery,
    @CurrentPrincipal() who: Principal | null,
  ): Promise<SuggestionList> {
    return { data: await this.related.forArticle(key, viewerOf(who), q.limit ?? 5, 'summary') };
  }
}
