import { Global, Module } from '@nestjs/common';
import { GraphqlLoaders } from './graphql/loaders';
import { HttpCacheInterceptor } from './http-cache/http-cache.interceptor';
import { RateLimitService } from './rate-limit/rate-limit.service';

/** What every feature shares. */
@Global()
@Module({
  providers: [RateLimitService, GraphqlLoaders, HttpCacheInterceptor],
  exports: [RateLimitService, GraphqlLoaders, HttpCacheInterceptor],
})
export class CommonModule {}
