import { Args, Context, ID, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import { ReactionCount } from '../articles/article.model';
import { Public } from '../common/auth/decorators';
import type { GraphqlContext } from '../common/graphql/graphql.config';
import { parseIdOrSlug } from '../common/http/id-or-slug.pipe';
import { RateLimitService } from '../common/rate-limit/rate-limit.service';
import { spendReactionBudget } from './reaction-budget';
import { ReactionsService } from './reactions.service';

@Resolver(() => ReactionCount)
export class ReactionsResolver {
  constructor(
    private readonly reactions: ReactionsService,
    private readonly limits: RateLimitService,
  ) {}

  @Mutation(() => ReactionCount, {
    description:
      'Reacts to a published article (`articleId` takes an id or a slug); the count after this reaction, once committed. ' +
      'Without clientId every call counts; with one, a client counts once per article and type.',
  })
  @Public()
  async react(
    @Args('articleId', { type: () => ID }) articleId: string,
    @Args('type') type: string,
    @Args('clientId', { type: () => String, nullable: true }) clientId: string | null,
    @Context() ctx: GraphqlContext,
  ): Promise<ReactionCount> {
    // Per field, so a request with many aliased react fields spends one per field.
    await spendReactionBudget(this.limits, ctx.req);
    return this.reactions.react(parseIdOrSlug(articleId, 'articleId'), type, clientId);
  }

  @Mutation(() => ReactionCount, { description: "Withdraws a client's reaction; a repeat changes nothing." })
  @Public()
  async unreact(
    @Args('articleId', { type: () => ID }) articleId: string,
    @Args('type') type: string,
    @Args('clientId') clientId: string,
    @Context() ctx: GraphqlContext,
  ): Promise<ReactionCount> {
    await spendReactionBudget(this.limits, ctx.req);
    return this.reactions.unreact(parseIdOrSlug(articleId, 'articleId'), type, clientId);
  }

  @Subscription(() => ReactionCount, {
    description: 'Every committed change of the counts of one published article (graphql-ws on /graphql).',
    resolve: (payload: [ReactionCount]) => payload[0],
  })
  @Public()
  reactionsChanged(
    @Args('articleId', { type: () => ID }) articleId: string,
  ): Promise<AsyncIterableIterator<[ReactionCount]>> {
    return this.reactions.changes(parseIdOrSlug(articleId, 'articleId'));
  }
}
