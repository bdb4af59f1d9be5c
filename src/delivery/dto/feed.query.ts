import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** `GET /feeds/…` query parameters. */
export class FeedQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description: 'Whole bodies, not summaries.',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'full must be true or false' })
  full?: 'true' | 'false';

  @ApiPropertyOptional({
    description: 'One locale per feed; default the default locale (only one exists today).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  locale?: string;
}
