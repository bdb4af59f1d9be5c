import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { SLUG_PATTERN } from '../common/http/id-or-slug.pipe';
import { IsPageSize } from '../common/pagination/page-size';

/** `GET /recommendations` query parameters. */
export class RecommendationsQuery {
  @ApiPropertyOptional({
    description: 'The article being read (id or slug): excluded, and the source of related.',
  })
  @IsOptional()
  @IsString()
  articleId?: string;

  @ApiPropertyOptional({ description: 'The reader (as sent with view beacons); at most 128 characters.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  clientId?: string;

  @ApiPropertyOptional({
    description: "Section slug for popular-in-section; by default the article's section.",
  })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'section must be a slug' })
  section?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5 })
  @IsPageSize()
  limit?: number;
}
