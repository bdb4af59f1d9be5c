import { SetMetadata } from '@nestjs/common';
import type { ErrorCode } from './domain-error';

export const PROBLEMS_KEY = 'dateline:problems';

/**
 * The error codes a REST operation answers beyond those every route of its kind can give, e.g.
 * `@Problems('SLUG_TAKEN', 'SECTION_CYCLE')`. The OpenAPI document lists each under its status
 * (src/contracts/openapi.ts adds the common ones: invalid input, auth, rate limits, 503).
 */
export const Problems = (...codes: ErrorCode[]) => SetMetadata<string, ErrorCode[]>(PROBLEMS_KEY, codes);
