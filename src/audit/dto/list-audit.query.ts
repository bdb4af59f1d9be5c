import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPageSize } from '../../common/pagination/page-size';

/** `GET /audit` query parameters; every filter narrows the list, newest first. */
export class ListAuditQuery {
  @ApiPropertyOptional({
    example: 'article',
    description: '`article`, `section`, `ranking`, `api-key`, `webhook`.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z-]{0,31}$/, { message: 'must be an entity type such as article' })
  entityType?: string;

  @ApiPropertyOptional({ description: "The entity's id (an article's uuid, a ranking's slug)." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ description: "The actor's key id, or its name." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ example: 'article.publish' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z.-]{0,63}$/, { message: 'must be an action such as article.publish' })
  action?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only changes at or after this time.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO-8601 time' })
  since?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsPageSize()
  limit?: number;

  @ApiPropertyOptional({ description: '`page.nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;
}
