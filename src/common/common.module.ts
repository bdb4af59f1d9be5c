import { Global, Module } from '@nestjs/common';
import { ReadRouting } from '../database/read-routing';
import { CacheInvalidation } from './cache/cache-invalidation';
import { ClusterBus } from './cluster/cluster-bus';
import { GraphqlLoaders } from './graphql/loaders';
import { GraphqlRules } from './graphql/graphql-rules';
import { WsConnections } from './graphql/ws-connections';
import { HttpCacheInterceptor } from './http-cache/http-cache.interceptor';
import { RateLimitService } from './rate-limit/rate-limit.service';

/** What every feature shares. */
@Global()
@Module({
  providers: [
    RateLimitService,
    ClusterBus,
    CacheInvalidation,
    GraphqlLoaders,
    GraphqlRules,
    HttpCacheInterceptor,
    WsConnections,
    ReadRouting,
  ],
  exports: [
    RateLimitService,
    ClusterBus,
    CacheInvalidation,
    GraphqlLoaders,
    GraphqlRules,
    HttpCacheInterceptor,
    WsConnections,
    ReadRouting,
  ],
})
export class CommonModule {}
