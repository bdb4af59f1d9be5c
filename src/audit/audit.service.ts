import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { AuditEntry, AuditList } from './audit.model';
import { AuditRepository, type AuditChange, type AuditRow } from './audit.repository';
import type { ListAuditQuery } from './dto/list-audit.query';

const DEFAULT_LIMIT = 50;
const CURSOR = /^[1-9][0-9]{0,18}$/;

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: {
      type: r.actorType,
      id: r.actorId,
      name: r.actorName,
      role: r.actorRole as AuditEntry['actor']['role'],
    },
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    requestId: r.requestId,
    summary: r.summary.text ?? '',
  };
}

/** The opaque cursor of an audit page: the last row's id. */
const encodeCursor = (id: string) => Buffer.from(`a:${id}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('a:') ? text.slice(2) : '';
  if (!CURSOR.test(id))
    throw DomainError.validation([{ path: 'cursor', message: 'is not a cursor of this list' }]);
  return id;
}

/**
 * The audit log. Features call `record` inside the transaction of the change they make, so a
 * change and its row commit together or not at all; a refused or failed write leaves no row.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly repo: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  record(manager: EntityManager, actor: Actor, ...changes: AuditChange[]): Promise<void> {
    return this.repo.insert(manager, actor, changes);
  }

  async list(query: ListAuditQuery): Promise<AuditList> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.repo.list({
      entityType: query.entityType,
      entityId: query.entityId,
      actor: query.actor,
      action: query.action,
      since: query.since ? new Date(query.since) : undefined,
      beforeId: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const more = rows.length > limit;
    return {
      data: page.map(toEntry),
      page: { nextCursor: more ? encodeCursor(page[page.length - 1].id) : null, limit },
    };
  }

  /** The history of one entity, newest first (GraphQL `Article.history`). */
  async history(entityType: string, entityId: string, limit: number): Promise<AuditEntry[]> {
    return (await this.repo.list({ entityType, entityId, limit })).map(toEntry);
  }

  /** At start-up: the trigger's retention follows AUDIT_RETENTION_DAYS, and older rows go. */
  async applyRetention(): Promise<void> {
    await this.repo.setRetention(this.config.auditRetentionDays);
    const pruned = await this.repo.prune();
    if (pruned)
      this.logger.log(`pruned ${pruned} audit rows older than ${this.config.auditRetentionDays} days`);
  }
}
