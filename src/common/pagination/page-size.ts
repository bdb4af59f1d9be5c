import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../graphql/limits';

/**
 * The one cap on page sizes (`limit` in REST queries, `first` in GraphQL arguments): an optional
 * whole number from 1 to MAX_PAGE_SIZE (100). Put it on every args/query class that pages, e.g.
 *
 *   @Field(() => Int, { defaultValue: 20 }) @ApiPropertyOptional({ maximum: 100 }) @IsPageSize() first = 20;
 *
 * REST query values arrive as strings; they are converted here (`12abc` stays invalid). GraphQL
 * also refuses oversize `first`/`limit` arguments before execution (cost-limit.ts), so a list
 * that forgets this decorator is still capped there.
 */
export function IsPageSize(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt({ message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
    Min(1, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
    Max(MAX_PAGE_SIZE, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` }),
  );
}
