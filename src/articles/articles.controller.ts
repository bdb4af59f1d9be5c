import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentPrincipal, Public, RequireRole } from '../common/auth/decorators';
import type { Principal } from '../common/auth/role';
import { Problems } from '../common/errors/problems.decorator';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { IdOrSlugPipe, UuidPipe, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import { ConditionalWrite, CurrentWrite, VersionEtag, type WriteIntent } from '../common/http/if-match';
import type { DatelineRequest } from '../common/http/request-context';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { isFullTextQuery, spendPublicRead } from '../common/rate-limit/read-budget';
import { articleKeys, articleListKeys } from './article-surrogate-keys';
import { Article, ArticleList, RevisionList } from './article.model';
import { ArticlesService } from './articles.service';
import { ArticleInput, PublishInput } from './dto/article.input';
import { ListArticlesQuery } from './dto/list-articles.args';

@ApiTags('articles')
@Controller('articles')
export class ArticlesController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly limits: RateLimitService,
  ) {}

  @Get()
  @Public()
  @HttpCached(articleListKeys)
  @ApiOkResponse({ type: ArticleList })
  @ApiTooManyRequestsResponse({
    description:
      'RATE_LIMITED: the client spent its RATE_LIMIT_SEARCHES_PER_MINUTE (a search answered from the read cache costs nothing)',
  })
  async list(
    @Query() query: ListArticlesQuery,
    @CurrentPrincipal() who: Principal | null,
    @Req() req: DatelineRequest,
  ): Promise<ArticleList> {
    // No RateLimit-* headers on the answer itself: it is public and cacheable, they are per client.
    if (isFullTextQuery(query.q)) await spendPublicRead(this.limits, req, { searches: 1 });
    return this.articles.list(query, who);
  }

  @Get(':idOrSlug')
  @Public()
  @HttpCached((body) => articleKeys(body as Article))
  @VersionEtag()
  @Problems('ARTICLE_NOT_FOUND')
  @ApiOkResponse({ type: Article })
  get(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @CurrentPrincipal() who: Principal | null,
  ): Promise<Article> {
    return this.articles.get(key, who);
  }

  @Post()
  @RequireRole('contributor')
  @Problems('FORBIDDEN', 'UNKNOWN_SECTION', 'SLUG_TAKEN', 'EXTERNAL_ID_TAKEN')
  @VersionEtag()
  @ApiCreatedResponse({ type: Article })
  create(@Body() input: ArticleInput, @CurrentActor() actor: Actor): Promise<Article> {
    return this.articles.create(input, actor);
  }

  @Patch(':idOrSlug')
  @RequireRole('contributor')
  @Problems(
    'FORBIDDEN',
    'ARTICLE_NOT_FOUND',
    'UNKNOWN_SECTION',
    'SLUG_TAKEN',
    'EXTERNAL_ID_TAKEN',
    'VERSION_MISMATCH',
    'ARTICLE_LOCKED',
  )
  @ConditionalWrite()
  @ApiOkResponse({ type: Article })
  update(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: ArticleInput,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.articles.update(key, input, write);
  }

  @Delete(':idOrSlug')
  @RequireRole('editor')
  @HttpCode(204)
  @Problems('ARTICLE_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiNoContentResponse({ description: 'Moved to the trash.' })
  remove(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug, @CurrentWrite() write: WriteIntent): Promise<void> {
    return this.articles.remove(key, write);
  }

  @Post(':idOrSlug/publish')
  @RequireRole('editor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOkResponse({ type: Article, description: 'A future publishedAt schedules.' })
  publish(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: PublishInput,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.articles.publish(key, input.publishedAt, write);
  }

  @Post(':idOrSlug/unpublish')
  @RequireRole('editor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOkResponse({ type: Article, description: 'Back to draft; publishedAt is kept.' })
  unpublish(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.articles.unpublish(key, write);
  }

  @Post(':idOrSlug/restore')
  @RequireRole('editor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOkResponse({ type: Article, description: 'Back from the trash.' })
  restore(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.articles.restore(key, write);
  }

  @Get(':idOrSlug/revisions')
  @RequireRole('editor')
  @Problems('ARTICLE_NOT_FOUND')
  @ApiOkResponse({ type: RevisionList })
  async revisions(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<RevisionList> {
    return { data: await this.articles.revisions(key) };
  }

  @Post(':idOrSlug/revisions/:revisionId/restore')
  @RequireRole('editor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'REVISION_NOT_FOUND', 'SLUG_TAKEN', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOkResponse({ type: Article, description: 'The restore is itself kept as a new revision.' })
  restoreRevision(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Param('revisionId', UuidPipe) revisionId: string,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.articles.restoreRevision(key, revisionId, write);
  }
}
