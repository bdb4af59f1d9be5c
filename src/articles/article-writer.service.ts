import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { PG_UNIQUE_VIOLATION, pgCode, pgConstraint } from '../common/errors/pg-errors';
import type { WriteIntent } from '../common/http/if-match';
import { OutboxService } from '../webhooks/outbox.service';
import { writeArticleBatch, type BatchLine, type BatchLineError } from './article-batch';
import { ARTICLE_TEXT_FIELDS, contentHash, type WriterInput } from './article-input';
import { ArticleEvents } from './article-events';
import { EditLeases } from './editing/edit-leases.service';
import { EditingRepository } from './editing/editing.repository';
import {
  makeExcerpt,
  prepareBody,
  schedule,
  type ArticleFields,
  type ExistingArticle,
} from './article-prepare';
import { ArticleStore, revisionSnapshot } from './article-store';
import { ArticleRepository, type ArticleKey, type ArticleRow } from './article.repository';
import type { ArticleStatus } from './article-status';

const CONTENT_FIELDS = [
  ...ARTICLE_TEXT_FIELDS,
  'body',
  'section',
  'sections',
  'tags',
  'heroImage',
  'relatedArticles',
] as const;

/** Fields that null cannot clear: null means "leave as it is" (GraphQL sends null for omitted). */
export const NOT_CLEARABLE = new Set([
  'title',
  'slug',
  'status',
  'body',
  'bodyHtml',
  'bodyText',
  'tags',
  'sections',
  'relatedArticles',
]);

const terms = (xs: WriterInput['tags']) =>
  xs?.map((t) => (typeof t === 'string' ? { slug: t } : { slug: t.slug, name: t.name ?? undefined }));

/** An API input (nulls meaning none) as the fields the write path takes. */
function fieldsOf(input: WriterInput): ArticleFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v != null) out[k] = v;
  return {
    ...(out as ArticleFields),
    tags: terms(input.tags ?? undefined),
    sections: input.sections?.map((slug) => ({ slug })),
  };
}

/** Who writes and, for a conditional write, the version they loaded (If-Match, expectedVersion). */
export type ArticleWrite = WriteIntent;

/**
 * A conditional write's check, made on the row the write has locked (so no other write can come
 * between it and the change): another save came first when the stored version is not the one the
 * caller loaded. The refusal stores nothing.
 */
export function assertVersion(current: number, expected: number | undefined, what = 'article'): void {
  if (expected !== undefined && expected !== current)
    throw new DomainError(
      'VERSION_MISMATCH',
      `The ${what} is at version ${current}, not ${expected}: it was saved since you loaded it.`,
      undefined,
      { currentVersion: current },
    );
}

/** The field errors of a refused write as the one DomainError the transports answer with. */
function refusal(e: BatchLineError): DomainError {
  if (e.conflict === 'externalId')
    return new DomainError('EXTERNAL_ID_TAKEN', 'An article with this externalId exists.', e.errors);
  if (e.conflict === 'slug')
    return new DomainError('SLUG_TAKEN', 'An article with this slug exists.', e.errors);
  if (e.errors.length && e.errors.every((f) => /^sections?\b/.test(f.path)))
    return new DomainError('UNKNOWN_SECTION', e.errors.map((f) => f.message).join('; '), e.errors);
  if (e.locked) return e.locked;
  if (!e.errors.length) return new DomainError('VALIDATION_FAILED', e.message ?? 'could not be written');
  return DomainError.validation(e.errors);
}

/**
 * The API's writes of articles: each one a batch of one through the write path every import
 * takes (article-batch.ts), atomic, every content change keeping the previous version.
 */
@Injectable()
export class ArticleWriter {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly store: ArticleStore,
    private readonly events: ArticleEvents,
    private readonly outbox: OutboxService,
    private readonly invalidation: CacheInvalidation,
    private readonly clock: Clock,
    private readonly leases: EditLeases,
    private readonly audit: AuditService,
    private readonly editing: EditingRepository,
  ) {}

  /**
   * Runs fn in one transaction and turns unique violations into 409s. After the commit, and
   * before the caller can answer, the read caches drop the articles whose ids fn returned.
   */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.store.transaction(fn);
    } catch (err) {
      throw this.translateWriteError(err);
    }
    if (typeof result === 'string') this.invalidation.articlesChanged([result]);
    else if (Array.isArray(result)) this.invalidation.articlesChanged(result as string[]);
    return result;
  }

  /** Creates one article; its webhook events are recorded in the same transaction. */
  async create(input: WriterInput, actor: Actor): Promise<string> {
    return (await this.createMany([input], actor))[0];
  }

  /** Creates articles in one transaction (the demo newsroom); their ids in input order. */
  createMany(inputs: WriterInput[], actor: Actor): Promise<string[]> {
    return this.run((manager) =>
      this.write(
        manager,
        inputs.map((input, i) => {
          const fields = fieldsOf(input);
          return { line: i + 1, input: fields, body: prepareBody(fields) };
        }),
        actor,
      ),
    );
  }

  update(key: ArticleKey, input: WriterInput, write: ArticleWrite): Promise<string> {
    return this.run((m) => this.applyUpdate(m, key, input, write));
  }

  /** The lines in one batch; the first refused line refuses the whole write. */
  private async write(manager: EntityManager, lines: BatchLine[], actor: Actor): Promise<string[]> {
    const result = await writeArticleBatch(manager, this.store, lines, {
      mode: 'create',
      createSections: false,
      actor,
      events: this.outbox,
      audit: this.audit,
      defer: false,
      now: this.clock.date(),
    });
    if (result.errors.length) throw refusal(result.errors[0]);
    return lines.map((l) => result.ids.get(l.line) as string);
  }

  /**
   * A partial input over the stored article: what it leaves out stays as it is. The result is a
   * whole article, written as an import line would be; unchanged input writes nothing.
   */
  private async applyUpdate(
    manager: EntityManager,
    key: ArticleKey,
    input: WriterInput,
    write: ArticleWrite,
  ): Promise<string> {
    const target = await this.requireTarget(manager, key);
    // A contributor's own drafts only: a published, scheduled or archived story needs an editor
    // (read on the locked row, so a publish cannot slip in between).
    if (write.actor.role === 'contributor' && target.storedStatus !== 'draft')
      throw new DomainError(
        'FORBIDDEN',
        `A contributor changes drafts only; this article is ${target.storedStatus}: an editor must change it.`,
      );
    await this.claim(manager, target.id, target.version, write);
    const [current] = await this.store.snapshots(manager, [target.id]);
    const merged: WriterInput = {
      ...revisionSnapshot(current),
      body: undefined,
      status: undefined,
      publishedAt: undefined,
    };
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined || (v === null && NOT_CLEARABLE.has(k))) continue;
      (merged as Record<string, unknown>)[k] = v;
    }
    const bodyGiven = input.body != null || input.bodyHtml != null || input.bodyText != null;
    if (!bodyGiven) merged.body = current.body;
    if (input.excerpt === undefined && bodyGiven && current.excerpt === makeExcerpt(current.body))
      merged.excerpt = null;
    // A new time alone keeps the status the article reads with.
    if (merged.status == null && merged.publishedAt != null) merged.status = current.status;
    const fields = fieldsOf(merged);
    await this.write(manager, [{ line: 1, input: fields, body: prepareBody(fields), target }], write.actor);
    return target.id;
  }

  private async requireTarget(manager: EntityManager, key: ArticleKey): Promise<ExistingArticle> {
    const [found] = await this.store.findExisting(
      manager,
      'id' in key ? { ids: [key.id] } : { slugs: [key.slug] },
      true,
    );
    if (!found || found.deleted) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return found;
  }

  async restoreRevision(key: ArticleKey, revisionId: string, write: ArticleWrite): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key, write);
      const snapshot = await this.store.findRevision(manager, row.id, revisionId);
      if (!snapshot)
        throw new DomainError('REVISION_NOT_FOUND', `No revision ${revisionId} of this article.`);
      // Restoring brings back the content; publication state stays as it is now.
      const input: WriterInput = {};
      for (const field of CONTENT_FIELDS) (input as Record<string, unknown>)[field] = snapshot[field];
      // Checked above: the version moves with this very write.
      return this.applyUpdate(manager, { id: row.id }, input, { actor: write.actor });
    });
  }

  /**
   * Publishes the article; with a working copy, its changes go live with it in the same single
   * write (one new version, one event: article.updated for a story already live) and the copy is
   * gone.
   */
  async publish(key: ArticleKey, publishedAt: string | undefined, write: ArticleWrite): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key, write);
      const copy = await this.editing.workingCopy(row.id, manager);
      if (!copy)
        return this.changeStatus(
          manager,
          row,
          'published',
          publishedAt ? new Date(publishedAt) : this.clock.date(),
          write,
        );
      const keptTime = row.status === 'published' && row.publishedAt ? row.publishedAt.toISOString() : null;
      const input: WriterInput = {
        ...(copy.fields as WriterInput),
        status: 'published',
        publishedAt: publishedAt ?? keptTime ?? this.clock.date().toISOString(),
      };
      // Checked above: the version moves with this very write.
      await this.applyUpdate(manager, { id: row.id }, input, { actor: write.actor });
      await this.editing.deleteWorkingCopy(manager, row.id);
      return row.id;
    });
  }

  async unpublish(key: ArticleKey, write: ArticleWrite): Promise<string> {
    return this.setStatus(key, 'draft', undefined, write);
  }

  async trash(key: ArticleKey, write: ArticleWrite): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key, write);
      await this.store.setDeleted(manager, row.id, true);
      await this.events.record(manager, 'trash', row, row.id);
      await this.recordAudit(manager, write, 'article.delete', row, 'moved to the trash');
      return row.id;
    });
  }

  async untrash(key: ArticleKey, write: ArticleWrite): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.articles.findOne(
        key,
        { publicOnly: false, includeDeleted: true, forUpdate: true },
        manager,
      );
      if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
      await this.claim(manager, row.id, row.version, write);
      if (row.deletedAt) {
        await this.store.setDeleted(manager, row.id, false);
        await this.events.record(manager, 'untrash', row, row.id);
        await this.recordAudit(manager, write, 'article.restore', row, 'brought back from the trash');
      }
      return row.id;
    });
  }

  private async setStatus(
    key: ArticleKey,
    wanted: ArticleStatus,
    at: Date | undefined,
    write: ArticleWrite,
  ): Promise<string> {
    return this.run(async (manager) =>
      this.changeStatus(manager, await this.requireRow(manager, key, write), wanted, at, write),
    );
  }

  private async changeStatus(
    manager: EntityManager,
    row: ArticleRow,
    wanted: ArticleStatus,
    at: Date | undefined,
    write: ArticleWrite,
  ): Promise<string> {
    const errors: FieldError[] = [];
    const next = schedule(wanted, at ?? row.publishedAt, errors, this.clock.date());
    const [stored] = await this.store.snapshots(manager, [row.id]);
    const hash = contentHash({
      ...revisionSnapshot(stored),
      status: next.status,
      publishedAt: next.publishedAt?.toISOString() ?? null,
    });
    await this.store.setStatus(manager, row.id, next.status, next.publishedAt, hash);
    await this.events.record(manager, wanted === 'published' ? 'publish' : 'unpublish', row, row.id);
    await this.recordAudit(
      manager,
      write,
      wanted === 'published' ? 'article.publish' : 'article.unpublish',
      row,
      wanted === 'published'
        ? `${next.status} for ${next.publishedAt?.toISOString() ?? 'now'}`
        : 'back to draft',
    );
    return row.id;
  }

  /** The audit row of a status change (content changes get theirs from the batch). */
  private recordAudit(
    manager: EntityManager,
    write: ArticleWrite,
    action: string,
    row: ArticleRow,
    what: string,
  ): Promise<void> {
    return this.audit.record(manager, write.actor, {
      action,
      entityType: 'article',
      entityId: row.id,
      summary: `${JSON.stringify(row.title)}: ${what}`,
    });
  }

  /** The article, its row locked for the write, and claimed for it (see claim). */
  private async requireRow(
    manager: EntityManager,
    key: ArticleKey,
    write: ArticleWrite,
  ): Promise<ArticleRow> {
    const row = await this.articles.findOne(key, { publicOnly: false, forUpdate: true }, manager);
    if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    await this.claim(manager, row.id, row.version, write);
    return row;
  }

  /**
   * What every API write to a stored article passes once its row is locked, in its transaction:
   * the version the caller loaded (If-Match) is still the stored one, and nobody else holds the
   * edit lease. Corrections and takedowns (issue 18) must never wait for a lease: they will call
   * this with `leaseExempt`.
   */
  private async claim(
    manager: EntityManager,
    articleId: string,
    version: number,
    write: ArticleWrite,
    leaseExempt = false,
  ): Promise<void> {
    assertVersion(version, write.expectedVersion);
    if (!leaseExempt) await this.leases.assertWritable(manager, articleId, write.actor);
  }

  /** Unique violations as 409s (for callers running their own transaction, such as imports). */
  translateWriteError(err: unknown): unknown {
    if (pgCode(err) !== PG_UNIQUE_VIOLATION) return err;
    if (pgConstraint(err) === 'articles_external_id_key')
      return new DomainError('EXTERNAL_ID_TAKEN', 'An article with this externalId exists.', [
        { path: 'externalId', message: 'is already in use' },
      ]);
    return new DomainError('SLUG_TAKEN', 'An article with this slug exists.', [
      { path: 'slug', message: 'is already in use' },
    ]);
  }
}
