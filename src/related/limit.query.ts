import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsPageSize } from '../common/pagination/page-size';

export class LimitQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 5 })
  @IsPageSize()
  limit?: number;
}
