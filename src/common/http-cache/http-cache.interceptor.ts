import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { DatelineRequest } from '../http/request-context';

/** How long shared caches may serve a public answer, and how long stale while they refresh it. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=300';
export const PRIVATE_CACHE_CONTROL = 'private, no-store';

const SURROGATE_KEYS = 'dateline:surrogate-keys';
/** Marks a request whose answer gets a strong ETag (computed over the exact bytes sent). */
export const ETAG_MARK = Symbol('dateline:etag');

export type SurrogateKeys = (body: unknown) => string[];

/**
 * Public GET answers become cacheable: `Cache-Control` with a short max-age and a longer
 * stale-while-revalidate, `Surrogate-Key` from the answer, and a strong `ETag` with 304 on
 * `If-None-Match` (see registerEtagHook). An editor's answer (any request with a valid key) is
 * `private, no-store`.
 */
export const HttpCached = (keys: SurrogateKeys) =>
  applyDecorators(
    SetMetadata(SURROGATE_KEYS, keys),
    UseInterceptors(HttpCacheInterceptor),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag of an answer already held: 304 while it is still current.',
    }),
    ApiResponse({ status: 304, description: 'Not modified: the ETag sent in If-None-Match is current.' }),
  );

@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<DatelineRequest & { [ETAG_MARK]?: boolean }>();
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const keys = this.reflector.get<SurrogateKeys | undefined>(SURROGATE_KEYS, ctx.getHandler());
    return next.handle().pipe(
      map((body: unknown) => {
        if (req.principal || req.method !== 'GET') {
          void reply.header('cache-control', PRIVATE_CACHE_CONTROL);
          return body;
        }
        void reply.header('cache-control', PUBLIC_CACHE_CONTROL);
        const surrogate = keys ? [...new Set(keys(body))] : [];
        if (surrogate.length) void reply.header('surrogate-key', surrogate.join(' '));
        req[ETAG_MARK] = true;
        return body;
      }),
    );
  }
}
