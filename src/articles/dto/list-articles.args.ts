import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLUG_PATTERN } from '../../common/http/id-or-slug.pipe';
import { IsPageSize } from '../../common/pagination/page-size';
import { ARTICLE_STATUSES, ArticleStatusEnum, type ArticleStatus } from '../article-status';

@InputType()
export class ArticleFilter {
  @Field({ nullable: true, description: 'Section slug; its descendants are included.' })
  @ApiPropertyOptional({ description: 'Section slug; its descendants are included.' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'section must be a slug' })
  section?: string;

  @Field({ nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'tag must be a slug' })
  tag?: string;

  @Field({ nullable: true, description: 'Case-insensitive match on the byline.' })
  @ApiPropertyOptional({ description: 'Case-insensitive match on the byline.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  author?: string;

  @Field({ nullable: true, description: 'Full-text search; results by relevance.' })
  @ApiPropertyOptional({ description: 'Full-text search (web search syntax); results by relevance.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  q?: string;

  @Field(() => ArticleStatusEnum, { nullable: true, description: 'Editors only.' })
  @ApiPropertyOptional({ enum: ARTICLE_STATUSES, description: 'Editors only; 400 for the public.' })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}

/** `GET /articles` query parameters. */
export class ListArticlesQuery extends ArticleFilter {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

/**
 * The `articles` connection's arguments (Relay Cursor Connections): `first` items after `after`,
 * or the `last` items before `before`. Page sizes 1..100; `first` is 20 when neither is given.
 */
@ArgsType()
export class ArticlesArgs {
  @Field(() => ArticleFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ArticleFilter)
  filter?: ArticleFilter;

  @Field(() => Int, {
    nullable: true,
    description: 'Items from the start (after `after`), 1 to 100; 20 when neither first nor last is given.',
  })
  @IsPageSize()
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor: the items after it.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Items from the end (before `before`), 1 to 100; not together with first.',
  })
  @IsPageSize()
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor: the items before it.' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  before?: string | null;
}
