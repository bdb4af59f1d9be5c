import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/decorators';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { parseIdOrSlug } from '../common/http/id-or-slug.pipe';
import { suggestionKeys } from '../related/related.controller';
import { SuggestionList } from '../related/suggestion.model';
import { RecommendationsQuery } from './recommendations.query';
import { RecommendationsService } from './recommendations.service';
import { Problems } from '../common/errors/problems.decorator';

export const RECOMMENDATION_DOCS =
  'With a clientId that has views: readers-also-read (what other readers of the same articles read), ' +
  "never what this client read nor the article itself. Then related (to articleId), popular-in-section (the section given, else the article's; " +
  '7 days), popular (site-wide, 7 days). At most half of the list comes from one section while others are available.';

@ApiTags('recommendations')
@Controller('recommendations')
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @Get()
  @Public()
  @HttpCached(suggestionKeys)
  @ApiOperation({ summary: 'What this reader may want next', description: RECOMMENDATION_DOCS })
  @Problems('ARTICLE_NOT_FOUND')
  @ApiOkResponse({ type: SuggestionList })
  async list(@Query() q: RecommendationsQuery): Promise<SuggestionList> {
    const key = q.articleId ? parseIdOrSlug(q.articleId, 'articleId') : null;
    return {
      data: await this.recommendations.forArticleKey(key, {
        clientId: q.clientId,
        section: q.section,
        limit: q.limit ?? 5,
      }),
    };
  }
}
