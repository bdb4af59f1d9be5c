import { Global, Module } from '@nestjs/common';
import { ClusterBus } from './cluster/cluster-bus';
import { RateLimitService } from './rate-limit/rate-limit.service';

/** What every feature shares. */
@Global()
@Module({
  providers: [RateLimitService, ClusterBus],
  exports: [RateLimitService, ClusterBus],
})
export class CommonModule {}
