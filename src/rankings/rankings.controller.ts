import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { viewerOf } from '../articles/articles.service';
import { articleKeys } from '../articles/article-surrogate-keys';
import type { ArticleSummary } from '../articles/article.model';
import type { Actor } from '../common/auth/actor';
import { CurrentActor, CurrentPrincipal, Public, RequireRole } from '../common/auth/decorators';
import type { Principal } from '../common/auth/role';
import { HttpCached } from '../common/http-cache/http-cache.interceptor';
import { CuratedRankingInput, RankingQueryDto } from './dto/ranking.args';
import { CuratedRanking, RankingList } from './ranking.model';
import { RANKING_DOCS, type RankingWindow } from './ranking-windows';
import { RankingsService } from './rankings.service';
import { Problems } from '../common/errors/problems.decorator';

const listKeys = (body: unknown) => [
  'rankings',
  ...(body as { data: { article: ArticleSummary }[] }).data.flatMap((e) => articleKeys(e.article)),
];

@ApiTags('rankings')
@Controller('rankings')
export class RankingsController {
  constructor(private readonly rankings: RankingsService) {}

  @Get()
  @Public()
  @HttpCached(listKeys)
  @ApiOperation({ summary: 'Most read (or trending) articles', description: RANKING_DOCS })
  @ApiOkResponse({ type: RankingList })
  async list(@Query() q: RankingQueryDto): Promise<RankingList> {
    const window = (q.window ?? '24h') as RankingWindow;
    const sort = q.sort ?? 'popular';
    const data = await this.rankings.ranking(
      { window, sort, section: q.section, limit: q.limit ?? 10 },
      'summary',
    );
    return { window, sort, data };
  }

  @Get(':slug')
  @Public()
  @HttpCached((body) => [`ranking:${(body as CuratedRanking).slug}`, ...listKeys(body)])
  @ApiOperation({
    summary: 'A curated ranking',
    description:
      'The public sees published members only, ranked 1..n among themselves; editors see every member outside the trash.',
  })
  @Problems('RANKING_NOT_FOUND')
  @ApiOkResponse({ type: CuratedRanking })
  get(@Param('slug') slug: string, @CurrentPrincipal() who: Principal | null): Promise<CuratedRanking> {
    return this.rankings.getCurated(slug, viewerOf(who), 'summary');
  }

  @Put(':slug')
  @RequireRole('editor')
  @ApiOperation({
    summary: 'Create or replace a curated ranking',
    description: 'Answers 200 whether it created or replaced; the answer lists every member.',
  })
  @ApiOkResponse({ type: CuratedRanking })
  put(
    @Param('slug') slug: string,
    @Body() input: CuratedRankingInput,
    @CurrentActor() actor: Actor,
  ): Promise<CuratedRanking> {
    return this.rankings.putCurated(slug, input, 'summary', actor);
  }
}
