import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { viewerOf } from '../articles/articles.service';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentPrincipal, Public, RequireRole } from '../common/auth/decorators';
import type { Principal } from '../common/auth/role';
import { CuratedRankingInput, RankingArgs } from './dto/ranking.args';
import { CuratedRanking, RankedArticle } from './ranking.model';
import { RANKING_DOCS, type RankingWindow } from './ranking-windows';
import { RankingsService } from './rankings.service';

@Resolver(() => RankedArticle)
export class RankingsResolver {
  constructor(private readonly rankings: RankingsService) {}

  @Query(() => [RankedArticle], { description: RANKING_DOCS })
  @Public()
  ranking(@Args() args: RankingArgs): Promise<RankedArticle[]> {
    return this.rankings.ranking(
      { window: args.window as RankingWindow, section: args.section, sort: args.sort, limit: args.first },
      'record',
    );
  }

  @Query(() => CuratedRanking, { nullable: true })
  @Public()
  curatedRanking(
    @Args('slug') slug: string,
    @CurrentPrincipal() who: Principal | null,
  ): Promise<CuratedRanking | null> {
    return this.rankings.curated(slug, viewerOf(who), 'record');
  }

  @Mutation(() => CuratedRanking, { description: 'Creates or replaces a curated ranking.' })
  @RequireRole('editor')
  putCuratedRanking(
    @Args('slug') slug: string,
    @Args('input') input: CuratedRankingInput,
    @CurrentActor() actor: Actor,
  ): Promise<CuratedRanking> {
    return this.rankings.putCurated(slug, input, 'record', actor);
  }
}
