import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { SLUG_PATTERN } from '../../common/http/id-or-slug.pipe';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../articles/article-status';

/** `GET /exports/articles` query parameters. */
export class ExportQuery {
  @ApiPropertyOptional({ description: 'Only articles whose main section is this one (slug).' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'section must be a slug' })
  section?: string;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES, description: 'Only articles stored with this status.' })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;

  @ApiPropertyOptional({ description: 'Only articles changed at or after this time (ISO-8601).' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'updatedSince must be an ISO-8601 date-time' })
  updatedSince?: string;
}
