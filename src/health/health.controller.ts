import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/decorators';
import { DatabaseHealthService } from './database-health.service';

class HealthStatus {
  @ApiProperty({ enum: ['ok', 'unavailable', 'draining'] }) status!: string;
  @ApiProperty({ required: false, enum: ['up', 'down'] }) database?: string;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: DatabaseHealthService) {}

  @Get('live')
  @ApiOkResponse({ type: HealthStatus, description: 'The process is running.' })
  live(): HealthStatus {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ type: HealthStatus, description: 'Ready for traffic: the database answers.' })
  @ApiServiceUnavailableResponse({
    type: HealthStatus,
    description: 'Draining for shutdown, or the database is unreachable.',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthStatus> {
    void reply.header('cache-control', 'no-store');
    if (this.health.isDraining) {
      void reply.status(503);
      return { status: 'draining' };
    }
    const up = await this.health.ping(2000);
    if (!up) void reply.status(503);
    return { status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' };
  }
}
