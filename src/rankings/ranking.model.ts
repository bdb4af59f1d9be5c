import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';
import type { ArticleRecord } from '../articles/article-reader.service';
import { Article, ArticleSummary } from '../articles/article.model';
import { RANKING_SORTS, RANKING_WINDOW_NAMES } from './ranking-windows';

export enum RankingSortEnum {
  POPULAR = 'popular',
  TRENDING = 'trending',
}
registerEnumType(RankingSortEnum, {
  name: 'RankingSort',
  description: 'POPULAR: weighted views and reactions in the window; TRENDING: the same, decayed by age.',
});

/** REST answers carry summaries; GraphQL parents are records (fields come through loaders). */
type ArticleValue = ArticleSummary | ArticleRecord;

@ObjectType()
export class RankedArticle {
  @Field(() => Int) @ApiProperty({ example: 1 }) rank!: number;
  @Field(() => Float) @ApiProperty({ example: 42 }) score!: number;
  @Field(() => Article) @ApiProperty({ type: ArticleSummary }) article!: ArticleValue;
}

export class RankingList {
  @ApiProperty({ enum: RANKING_WINDOW_NAMES }) window!: string;
  @ApiProperty({ enum: RANKING_SORTS }) sort!: string;
  @ApiProperty({ type: [RankedArticle] }) data!: RankedArticle[];
}

@ObjectType()
export class CuratedRankingItem {
  @Field(() => Int) @ApiProperty({ example: 1 }) rank!: number;
  @Field(() => Article) @ApiProperty({ type: ArticleSummary }) article!: ArticleValue;
}

@ObjectType({ description: "An editors' ordered list of articles." })
export class CuratedRanking {
  @Field() @ApiProperty({ example: 'editors-picks' }) slug!: string;
  @Field() @ApiProperty({ example: "Editors' picks" }) title!: string;
  @Field({ description: 'When the list was last put.' })
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
  @Field(() => [CuratedRankingItem], {
    description: 'The public sees public members only, ranked 1..n among themselves.',
  })
  @ApiProperty({ type: [CuratedRankingItem] })
  data!: CuratedRankingItem[];
}
