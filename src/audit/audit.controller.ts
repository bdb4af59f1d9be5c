import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../common/auth/decorators';
import { AuditList } from './audit.model';
import { AuditService } from './audit.service';
import { ListAuditQuery } from './dto/list-audit.query';

@ApiTags('audit')
@RequireRole('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit log',
    description:
      'Every stored change to articles, sections, curated rankings, API keys and webhooks, and every forced lease break, newest first. Append-only: rows are never changed, and deleted only once older than AUDIT_RETENTION_DAYS.',
  })
  @ApiOkResponse({ type: AuditList })
  list(@Query() query: ListAuditQuery): Promise<AuditList> {
    return this.audit.list(query);
  }
}
