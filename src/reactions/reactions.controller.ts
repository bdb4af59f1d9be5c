import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReactionCount } from '../articles/article.model';
import { Public } from '../common/auth/decorators';
import { Problems } from '../common/errors/problems.decorator';
import { IdOrSlugPipe, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import type { DatelineRequest } from '../common/http/request-context';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { ReactInput, UnreactQuery } from './dto/reaction.input';
import { ReactionList } from './reaction.model';
import { REACTION_BUDGET_SPENT, spendReactionBudget } from './reaction-budget';
import { ReactionsService } from './reactions.service';

@ApiTags('reactions')
@Controller('articles/:idOrSlug/reactions')
export class ReactionsController {
  constructor(
    private readonly reactions: ReactionsService,
    private readonly limits: RateLimitService,
  ) {}

  @Get()
  @Public()
  @Problems('ARTICLE_NOT_FOUND')
  @ApiOkResponse({ type: ReactionList })
  list(@Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug): Promise<ReactionList> {
    return this.reactions.list(key);
  }

  @Post()
  @Public()
  @HttpCode(200)
  @Problems('ARTICLE_NOT_FOUND', 'UNKNOWN_REACTION_TYPE')
  @ApiOkResponse({ type: ReactionCount, description: 'The count after this reaction, once committed.' })
  @ApiTooManyRequestsResponse({ description: REACTION_BUDGET_SPENT })
  async react(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: ReactInput,
    @Req() req: DatelineRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReactionCount> {
    await spendReactionBudget(this.limits, req, reply);
    return this.reactions.react(key, input.type, input.clientId);
  }

  @Delete(':type')
  @Public()
  @Problems('ARTICLE_NOT_FOUND', 'UNKNOWN_REACTION_TYPE')
  @ApiOkResponse({ type: ReactionCount, description: 'The count after the withdrawal.' })
  @ApiTooManyRequestsResponse({ description: REACTION_BUDGET_SPENT })
  async unreact(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Param('type') type: string,
    @Query() query: UnreactQuery,
    @Req() req: DatelineRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ReactionCount> {
    await spendReactionBudget(this.limits, req, reply);
    return this.reactions.unreact(key, type, query.clientId);
  }
}
