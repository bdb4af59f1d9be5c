import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../articles/article-status';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1'
    ? true
    : value === 'false' || value === '0' || value === ''
      ? false
      : value;

/** `POST /imports` query parameters. */
export class ImportQuery {
  @ApiPropertyOptional({ description: 'Validate and count, write nothing.', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({
    description: 'Make sections that lines name instead of failing them.',
    default: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'createSections must be true or false' })
  createSections?: boolean;

  @ApiPropertyOptional({
    description:
      "Bring each line's remote hero image into the media library (once per URL: a picture fetched before is used again); a picture that cannot be fetched stays a remote image, with a note.",
    default: false,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'fetchMedia must be true or false' })
  fetchMedia?: boolean;

  @ApiPropertyOptional({
    enum: ARTICLE_STATUSES,
    default: 'published',
    description: 'Status of feed items (RSS, Atom, ninjs) that carry none.',
  })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}
