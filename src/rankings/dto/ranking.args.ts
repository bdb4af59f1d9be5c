import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SLUG_PATTERN } from '../../common/http/id-or-slug.pipe';
import { IsPageSize } from '../../common/pagination/page-size';
import { RankingSortEnum } from '../ranking.model';
import { RANKING_DOCS, RANKING_SORTS, RANKING_WINDOW_NAMES, type RankingSort } from '../ranking-windows';

const windowMessage = `window must be one of ${RANKING_WINDOW_NAMES.join(', ')}`;

/** `GET /rankings` query parameters. */
export class RankingQueryDto {
  @ApiPropertyOptional({ enum: RANKING_WINDOW_NAMES, default: '24h', description: RANKING_DOCS })
  @IsOptional()
  @IsIn(RANKING_WINDOW_NAMES, { message: windowMessage })
  window?: string;

  @ApiPropertyOptional({ description: 'Section slug; its descendants are included.' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'section must be a slug' })
  section?: string;

  @ApiPropertyOptional({ enum: RANKING_SORTS, default: 'popular' })
  @IsOptional()
  @IsIn(RANKING_SORTS, { message: `sort must be one of ${RANKING_SORTS.join(', ')}` })
  sort?: RankingSort;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsPageSize()
  limit?: number;
}

@ArgsType()
export class RankingArgs {
  @Field(() => String, { defaultValue: '24h', description: RANKING_WINDOW_NAMES.join(', ') })
  @IsIn(RANKING_WINDOW_NAMES, { message: windowMessage })
  window = '24h';

  @Field(() => String, { nullable: true, description: 'Section slug; its descendants are included.' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'section must be a slug' })
  section?: string;

  @Field(() => RankingSortEnum, { defaultValue: RankingSortEnum.POPULAR })
  @IsIn(Object.values(RankingSortEnum))
  sort: RankingSortEnum = RankingSortEnum.POPULAR;

  @Field(() => Int, { defaultValue: 10 })
  @IsPageSize()
  first = 10;
}

@InputType()
export class CuratedRankingInput {
  @Field()
  @ApiProperty({ example: "Editors' picks" })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @Field(() => [String], { description: 'Article ids or slugs, in order; at most 100.' })
  @ApiProperty({ type: [String], maxItems: 100, description: 'Article ids or slugs, in order.' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  articles!: string[];
}
