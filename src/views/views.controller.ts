import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/decorators';
import { IdOrSlugPipe, type IdOrSlug } from '../common/http/id-or-slug.pipe';
import type { DatelineRequest } from '../common/http/request-context';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { ViewInput } from '../reactions/dto/reaction.input';
import { REACTION_BUDGET_SPENT, spendReactionBudget } from '../reactions/reaction-budget';
import { ViewsService } from './views.service';
import { Problems } from '../common/errors/problems.decorator';

@ApiTags('reactions')
@Controller('articles/:idOrSlug/views')
export class ViewsController {
  constructor(
    private readonly views: ViewsService,
    private readonly limits: RateLimitService,
  ) {}

  @Post()
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Counted; written within one second.' })
  @Problems('ARTICLE_NOT_FOUND')
  @ApiTooManyRequestsResponse({ description: REACTION_BUDGET_SPENT })
  async record(
    @Param('idOrSlug', IdOrSlugPipe) key: IdOrSlug,
    @Body() input: ViewInput,
    @Req() req: DatelineRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await spendReactionBudget(this.limits, req, reply);
    await this.views.record(key, input.clientId);
  }
}
