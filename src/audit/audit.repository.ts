import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
}

export interface AuditRow {
  id: string;
  at: Date;
  actorType: 'key' | 'user' | 'system';
  actorId: string | null;
  actorName: string;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  summary: { text?: string };
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  since?: Date;
  /** Rows older than this id (keyset: the last id of the previous page). */
  beforeId?: string;
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** In the caller's transaction, so the row exists exactly when the change does. */
  async insert(manager: EntityManager, actor: Actor, changes: AuditChange[]): Promise<void> {
    if (!changes.length) return;
    await manager.query(
      `INSERT INTO audit_log (actor_type, actor_id, actor_name, actor_role, request_id, action, entity_type, entity_id, summary)
       SELECT $1, $2, $3, $4, $5, x.action, x.entity_type, x.entity_id, jsonb_build_object('text', x.summary)
         FROM unnest($6::text[], $7::text[], $8::text[], $9::text[]) AS x(action, entity_type, entity_id, summary)`,
      [
        actor.type,
        actor.id,
        actor.name,
        actor.role,
        actor.requestId,
        changes.map((c) => c.action),
        changes.map((c) => c.entityType),
        changes.map((c) => c.entityId),
        changes.map((c) => c.summary),
      ],
    );
  }

  /**
   * Newest first, by id (rows get ids in the order they were written). The ORDER BY names the
   * table's column: a bare `id` would mean the text alias, and "99" sorts after "100".
   */
  async list(filter: AuditFilter, manager: EntityManager = this.dataSource.manager): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.entityType) add('entity_type = ?', filter.entityType);
    if (filter.entityId) add('entity_id = ?', filter.entityId);
    if (filter.actor) add('(actor_id = ? OR actor_name = ?)', filter.actor);
    if (filter.action) add('action = ?', filter.action);
    if (filter.since) add('at >= ?', filter.since);
    if (filter.beforeId) add('id < ?::bigint', filter.beforeId);
    params.push(filter.limit);
    return manager.query(
      `SELECT id::text AS id, at, actor_type AS "actorType", actor_id AS "actorId", actor_name AS "actorName",
              actor_role AS "actorRole", action, entity_type AS "entityType", entity_id AS "entityId",
              request_id AS "requestId", summary
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /** The retention the append-only trigger enforces (AUDIT_RETENTION_DAYS). */
  async setRetention(days: number): Promise<void> {
    await this.dataSource.query(`UPDATE audit_policy SET retention_days = $1 WHERE retention_days <> $1`, [
      days,
    ]);
  }

  /** Deletes rows older than the retention: the only delete the trigger lets through. */
  async prune(): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM audit_log
        WHERE at < now() - make_interval(days => (SELECT retention_days FROM audit_policy))
        RETURNING id`,
    );
    return rows.length;
  }
}
