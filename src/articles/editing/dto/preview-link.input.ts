import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PREVIEW_DEFAULT_SECONDS, PREVIEW_MAX_SECONDS } from '../preview-links.service';

export class PreviewLinkInput {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: PREVIEW_MAX_SECONDS,
    default: PREVIEW_DEFAULT_SECONDS,
    description: 'Seconds the link works; at most 7 days.',
  })
  @IsOptional()
  @IsInt({ message: `must be a whole number of seconds from 1 to ${PREVIEW_MAX_SECONDS}` })
  @Min(1, { message: `must be a whole number of seconds from 1 to ${PREVIEW_MAX_SECONDS}` })
  @Max(PREVIEW_MAX_SECONDS, { message: `must be a whole number of seconds from 1 to ${PREVIEW_MAX_SECONDS}` })
  expiresIn?: number;
}

export class LockQuery {
  @ApiPropertyOptional({ description: "Admins: take over or break another caller's lease (audited)." })
  @IsOptional()
  force?: string;
}
