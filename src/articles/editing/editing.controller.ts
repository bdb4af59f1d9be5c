import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor';
import { CurrentActor, Public, RequireRole } from '../../common/auth/decorators';
import { Problems } from '../../common/errors/problems.decorator';
import { IdOrSlugPipe, type IdOrSlug } from '../../common/http/id-or-slug.pipe';
import { ConditionalWrite, CurrentWrite, VersionEtag, type WriteIntent } from '../../common/http/if-match';
import { markPrivateAnswer } from '../../common/http/private-answer';
import { ArticleInput } from '../dto/article.input';
import { WorkingCopies } from './working-copies.service';
import type { DatelineRequest } from '../../common/http/request-context';
import { Article } from '../article.model';
import { LockQuery, PreviewLinkInput } from './dto/preview-link.input';
import { EditLeases } from './edit-leases.service';
import { ArticleLock, PreviewLink } from './editing.model';
import { PreviewLinks } from './preview-links.service';

@ApiTags('articles')
@Controller()
export class EditingController {
  constructor(
    private readonly leases: EditLeases,
    private readonly previews: PreviewLinks,
    private readonly copies: WorkingCopies,
  ) {}

  @Put('articles/:idOrSlug/draft')
  @RequireRole('contributor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOperation({
    summary: "Save the article's working copy",
    description:
      'Fields as in PATCH, merged into the working copy (made when there is none): pending changes that readers, lists, search, related stories and webhooks do not see until `POST …/publish` makes them live. The working copy has its own version (`If-Match` is compared with it). `status` and `publishedAt` are set by publish, not here.',
  })
  @ApiOkResponse({ type: Article, description: 'The article as the working copy would make it.' })
  saveDraft(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: ArticleInput,
    @CurrentWrite() write: WriteIntent,
  ): Promise<Article> {
    return this.copies.save(key, input, write);
  }

  @Get('articles/:idOrSlug/draft')
  @RequireRole('contributor')
  @VersionEtag()
  @Problems('ARTICLE_NOT_FOUND', 'WORKING_COPY_NOT_FOUND')
  @ApiOperation({ summary: "Read the article's working copy" })
  @ApiOkResponse({ type: Article, description: 'The article as the working copy would make it.' })
  getDraft(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<Article> {
    return this.copies.get(key);
  }

  @Delete('articles/:idOrSlug/draft')
  @RequireRole('contributor')
  @HttpCode(204)
  @Problems('ARTICLE_NOT_FOUND', 'WORKING_COPY_NOT_FOUND', 'VERSION_MISMATCH', 'ARTICLE_LOCKED')
  @ConditionalWrite()
  @ApiOperation({ summary: "Discard the article's working copy" })
  @ApiNoContentResponse({ description: 'Discarded; the article stays as it is.' })
  discardDraft(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @CurrentWrite() write: WriteIntent,
  ): Promise<void> {
    return this.copies.discard(key, write);
  }

  @Post('articles/:idOrSlug/lock')
  @RequireRole('contributor')
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'ARTICLE_LOCKED')
  @ApiOperation({
    summary: 'Take or renew the edit lease',
    description:
      'For 2 minutes; call again to renew. While it lasts, other callers’ writes to the article answer 423. An admin’s `force=true` takes over another caller’s lease (audited as article.lock.break).',
  })
  @ApiOkResponse({ type: ArticleLock })
  lock(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Query() query: LockQuery,
    @CurrentActor() actor: Actor,
  ): Promise<ArticleLock> {
    return this.leases.take(key, actor, query.force === 'true');
  }

  @Delete('articles/:idOrSlug/lock')
  @RequireRole('contributor')
  @HttpCode(204)
  @Problems('ARTICLE_NOT_FOUND', 'ARTICLE_LOCKED')
  @ApiOperation({
    summary: 'Release the edit lease',
    description: 'Another caller’s lease is 423, unless an admin breaks it with `force=true` (audited).',
  })
  @ApiNoContentResponse({ description: 'Released (or there was none).' })
  unlock(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Query() query: LockQuery,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.leases.release(key, actor, query.force === 'true');
  }

  @Post('articles/:idOrSlug/preview-links')
  @RequireRole('contributor')
  @Problems('ARTICLE_NOT_FOUND')
  @ApiCreatedResponse({ type: PreviewLink, description: 'The token is shown only in this answer.' })
  createPreviewLink(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: PreviewLinkInput,
    @CurrentActor() actor: Actor,
  ): Promise<PreviewLink> {
    return this.previews.create(key, input.expiresIn, actor);
  }

  @Delete('articles/:idOrSlug/preview-links')
  @RequireRole('contributor')
  @HttpCode(204)
  @Problems('ARTICLE_NOT_FOUND')
  @ApiNoContentResponse({ description: "Every one of the article's preview links stops working at once." })
  revokePreviewLinks(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    return this.previews.revokeAll(key, actor);
  }

  @Get('preview/:token')
  @Public()
  @Problems('PREVIEW_NOT_FOUND')
  @ApiOperation({
    summary: 'An article through a preview link',
    description:
      'No key needed: the token is the permission. Draft or not, as it stands now; `private, no-store` and `X-Robots-Tag: noindex`, never from a cache. Expired or revoked: 404.',
  })
  @ApiOkResponse({ type: Article })
  preview(@Param('token') token: string, @Req() req: DatelineRequest): Promise<Article> {
    markPrivateAnswer(req);
    return this.previews.show(token);
  }
}
