import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import type { IdOrSlug } from '../../common/http/id-or-slug.pipe';
import { EditingRepository, type LeaseRow } from './editing.repository';
import type { ArticleLock } from './editing.model';

/** How long a lease lasts; the holder renews it by taking it again. */
export const LEASE_MS = 2 * 60_000;

const holderOf = (actor: Actor) => actor.id ?? `system:${actor.name}`;

function toLock(row: LeaseRow): ArticleLock {
  return { by: { id: row.holderId, name: row.holderName }, until: row.until.toISOString() };
}

function requireAdminToForce(actor: Actor, force: boolean): void {
  if (force && actor.role !== 'admin')
    throw new DomainError('FORBIDDEN', "Only an admin may break another caller's lease.");
}

/** The refusal every article write gives while someone else holds the lease. */
export function lockedError(row: LeaseRow): DomainError {
  const lock = toLock(row);
  return new DomainError(
    'ARTICLE_LOCKED',
    `${lock.by.name} is editing this article until ${lock.until}.`,
    undefined,
    { lockedBy: lock.by, lockedUntil: lock.until },
  );
}

/**
 * Edit leases: one holder per article at a time, for LEASE_MS, renewed by taking it again. While
 * another caller holds a live lease, writes to the article are refused (ARTICLE_LOCKED, 423); an
 * admin may break a lease (`force`), which the audit log records.
 */
@Injectable()
export class EditLeases {
  constructor(
    private readonly repo: EditingRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async take(key: IdOrSlug, actor: Actor, force: boolean): Promise<ArticleLock> {
    requireAdminToForce(actor, force);
    return this.repo.transaction(async (m) => {
      const articleId = await this.requireArticle(m, key);
      const now = this.clock.date();
      const held = await this.repo.liveLease(m, articleId, now);
      if (held && held.holderId !== holderOf(actor)) {
        if (!force) throw lockedError(held);
        await this.recordBreak(m, actor, held);
      }
      const lease: LeaseRow = {
        articleId,
        holderId: holderOf(actor),
        holderName: actor.name,
        until: new Date(now.getTime() + LEASE_MS),
      };
      await this.repo.putLease(m, lease);
      return toLock(lease);
    });
  }

  async release(key: IdOrSlug, actor: Actor, force: boolean): Promise<void> {
    requireAdminToForce(actor, force);
    await this.repo.transaction(async (m) => {
      const articleId = await this.requireArticle(m, key);
      const held = await this.repo.liveLease(m, articleId, this.clock.date());
      if (held && held.holderId !== holderOf(actor)) {
        if (!force) throw lockedError(held);
        await this.recordBreak(m, actor, held);
      }
      await this.repo.deleteLease(m, articleId);
    });
  }

  /**
   * For a write in progress (the article row already locked by it): refused while another caller
   * holds a live lease.
   */
  async assertWritable(m: EntityManager, articleId: string, actor: Actor): Promise<void> {
    const held = await this.repo.liveLease(m, articleId, this.clock.date());
    if (held && held.holderId !== holderOf(actor)) throw lockedError(held);
  }

  /**
   * For a batch in progress (imports; the rows already locked by it): the articles among these
   * that another caller holds, each with the refusal a write to it gets.
   */
  async blocked(m: EntityManager, articleIds: string[], actor: Actor): Promise<Map<string, DomainError>> {
    const rows = await this.repo.liveLeases(articleIds, this.clock.date(), m);
    return new Map(
      rows.filter((r) => r.holderId !== holderOf(actor)).map((r) => [r.articleId, lockedError(r)]),
    );
  }

  /** Live leases by article id (what editors see as `lock`). */
  async locks(articleIds: string[]): Promise<Map<string, ArticleLock>> {
    const rows = await this.repo.liveLeases(articleIds, this.clock.date());
    return new Map(rows.map((r) => [r.articleId, toLock(r)]));
  }

  private async requireArticle(m: EntityManager, key: IdOrSlug): Promise<string> {
    const id = await this.repo.lockArticle(m, key);
    if (!id) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return id;
  }

  private recordBreak(m: EntityManager, actor: Actor, held: LeaseRow): Promise<void> {
    return this.audit.record(m, actor, {
      action: 'article.lock.break',
      entityType: 'article',
      entityId: held.articleId,
      summary: `broke the edit lease of ${held.holderName} (until ${held.until.toISOString()})`,
    });
  }
}
