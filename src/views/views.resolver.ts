import { Args, Context, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Public } from '../common/auth/decorators';
import type { GraphqlContext } from '../common/graphql/graphql.config';
import { parseIdOrSlug } from '../common/http/id-or-slug.pipe';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { spendReactionBudget } from '../reactions/reaction-budget';
import { ViewsService } from './views.service';

@Resolver()
export class ViewsResolver {
  constructor(
    private readonly views: ViewsService,
    private readonly limits: RateLimitService,
  ) {}

  @Mutation(() => Boolean, {
    description:
      'A view beacon for a published article (`articleId` takes an id or a slug); written within one second.',
  })
  @Public()
  async recordView(
    @Args('articleId', { type: () => ID }) articleId: string,
    @Args('clientId', { type: () => String, nullable: true }) clientId: string | null,
    @Context() ctx: GraphqlContext,
  ): Promise<boolean> {
    await spendReactionBudget(this.limits, ctx.req);
    await this.views.record(parseIdOrSlug(articleId, 'articleId'), clientId);
    return true;
  }
}
