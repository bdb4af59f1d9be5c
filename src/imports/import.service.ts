import { Inject, Injectable, Optional } from '@nestjs/common';
import { SectionsService } from '../sections/sections.service';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { isDatabaseUnavailable } from '../common/errors/to-domain-error';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { echoed } from '../articles/article-limits';
import { formatFieldErrors, reactionTypeErrors, type ArticleStatus, type ImportItem } from './import-line';
import { writeRankingLine, writeSectionLine, type SiteLineOutcome } from './import-site';
import type { RankingLine } from './site-lines';
import { ImportRepository } from './import.repository';
import { parseImport, type ImportFormat, type ImportSource } from './parsers';
import { baseSlug, prepareBody } from '../articles/article-prepare';
import {
  emptyBatchResult,
  writeArticleBatch,
  type BatchLine,
  type BatchResult,
} from '../articles/article-batch';
import { ArticleStore } from '../articles/article-store';
import { EditLeases } from '../articles/editing/edit-leases.service';
import { AuditService } from '../audit/audit.service';
import { IMPORT_EVENTS, type ImportEvents } from './import-events';
import { MediaService } from '../media/media.service';
import type { HeroImageValue } from '../articles/article-input';

/** Lines per transaction: a failure loses at most this many, and memory stays flat. */
export const IMPORT_BATCH_SIZE = 250;
/** Pictures fetched side by side for fetchMedia. */
const PICTURE_FETCHES = 4;
/**
 * Lines held back at most because they pin an article not known yet (it may come later in the
 * file, as WordPress's importer back-fills references at the end); beyond it, such lines fail.
 */
export const IMPORT_MAX_DEFERRED = 10_000;
/** application_name of the connection an import runs on (operators can find it in pg_stat_activity). */
export const IMPORT_APPLICATION_NAME = 'dateline-import';

export interface ImportOptions {
  format: ImportFormat;
  dryRun?: boolean;
  createSections?: boolean;
  /** Bring remote hero images into the media library (see bringPictures). */
  fetchMedia?: boolean;
  /** Status of feed items that carry none (default published). */
  status?: ArticleStatus;
  /** Who imports: the key, or the command line (a system actor). Revisions and leases name it. */
  actor: Actor;
  /** Called after each batch (the command line's progress). */
  onProgress?: (progress: { line: number; processed: number }) => void;
  /**
   * Connections writing batches side by side (default 1; at most 4; a dry run uses 1). The
   * command line uses 2 on PostgreSQL: the full-text column is computed by the database.
   */
  writers?: number;
  /** Called for every failed line as it happens (the command line's report file). */
  onError?: (error: ImportLineError) => void;
}

export interface ImportLineError {
  line: number;
  externalId: string | null;
  message: string;
}

/** Something an editor should know about a line that was imported (e.g. made a draft). */
export type ImportLineNote = ImportLineError;

export interface ImportSummary {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  errors: ImportLineError[];
  /** Lines imported otherwise than they read (a password-protected WordPress post made a draft). */
  notes: ImportLineNote[];
}

/**
 * Imports in every format: parsed as a stream, written in transactions of IMPORT_BATCH_SIZE lines
 * through the set-based batch writer, a failing line reported alone. A dry run writes everything
 * in one transaction that is rolled back, so its counts are those of a real run.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly repo: ImportRepository,
    private readonly store: ArticleStore,
    @Inject(IMPORT_EVENTS) private readonly events: ImportEvents,
    /** A line that would change a story someone else holds the edit lease of fails. */
    private readonly leases: EditLeases,
    /** Every line written gets its audit row, with the importing key (or the command line). */
    private readonly audit: AuditService,
    /** REACTION_TYPES: a line's reaction counts must be of these types. */
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'reactionTypes'>,
    /** This instance's section tree cache, dropped when an import made sections (others expire it). */
    @Optional() private readonly sectionCache?: SectionsService,
    /** The read caches (here, and on other instances through the ClusterBus). */
    @Optional() private readonly invalidation?: CacheInvalidation,
    /** What "now" is for scheduling (the system clock when built by hand, as the CLI does). */
    @Optional() private readonly clock: Clock = new Clock(),
    /** The media library, for fetchMedia (the server has it; a command built by hand may not). */
    @Optional() private readonly media?: MediaService,
  ) {}

  async run(source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
    const summary: ImportSummary = {
      dryRun: options.dryRun === true,
      created: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      errors: [],
      notes: [],
    };
    const fail = (line: ImportLineError) => {
      // The refused value may be long (a wrong column mapped to externalId): repeat only its start.
      const e = { ...line, externalId: line.externalId === null ? null : echoed(line.externalId) };
      summary.failed++;
      summary.errors.push(e);
      options.onError?.(e);
    };
    if (options.fetchMedia && !this.media)
      throw new Error('fetchMedia needs the media library, which this import was built without');
    const note = (n: ImportLineNote) => summary.notes.push(n);
    /** fetchMedia: each remote picture's media id (or why it was not fetched), by URL. */
    const pictures = new Map<string, Promise<string | Error>>();
    // Writers: each its own connection and transactions; a dry run is one transaction on one.
    const writers = summary.dryRun ? 1 : Math.max(1, Math.min(options.writers ?? 1, 4));
    const runners = Array.from({ length: writers }, () => this.repo.dataSource.createQueryRunner());
    const runner = runners[0];
    let committedThrough = 0;
    let seenThrough = 0;
    const startedAt = new Date();
    // Lines pinning articles not known yet, written again once the rest of the file is.
    let deferred: BatchLine[] = [];
    let deferredKeys = new Set<string>();
    let allowDefer = true;
    let firstDeferred = Infinity;
    const rankings: ImportItem[] = [];
    let sectionsChanged = false;
    /** Every line up to it is committed (a held-back line stops it short). */
    const safeThrough = () => Math.min(committedThrough, firstDeferred - 1);
    let processed = 0;
    let batch: BatchLine[] = [];
    let keys = new Set<string>();

    // Batches go round the writers while the next one is read and its bodies converted.
    // processedThroughLine only moves past a batch once every batch before it committed.
    const slots: Promise<void>[] = runners.map(() => Promise.resolve());
    let scheduled = 0;
    let nextToCommit = 0;
    const committed = new Map<number, number>();
    const write = async (r: QueryRunner, lines: BatchLine[], index: number, through: number) => {
      if (lines.length) {
        // Fetched before the transaction opens: a slow picture host holds no locks.
        if (options.fetchMedia && !summary.dryRun)
          await this.bringPictures(lines, pictures, note, options.actor);
        if (!summary.dryRun) await r.startTransaction();
        const result = await this.writeWithFallback(r.manager, lines, {
          ...options,
          defer: allowDefer && deferred.length < IMPORT_MAX_DEFERRED,
          startedAt,
        });
        if (!summary.dryRun) {
          await r.commitTransaction();
          // Committed: no read cache may show these articles' earlier versions from now on.
          this.invalidation?.articlesChanged(result.writtenIds);
        }
        summary.created += result.created;
        summary.updated += result.updated;
        summary.unchanged += result.unchanged;
        for (const e of result.errors)
          fail({ line: e.line, externalId: e.externalId, message: e.message ?? formatFieldErrors(e.errors) });
        for (const l of result.deferred) {
          deferred.push(l);
          deferredKeys.add(lineKey(l.input));
          firstDeferred = Math.min(firstDeferred, l.line);
        }
      }
      committed.set(index, through);
      while (committed.has(nextToCommit)) {
        committedThrough = committed.get(nextToCommit) as number;
        committed.delete(nextToCommit++);
      }
      options.onProgress?.({ line: safeThrough(), processed });
    };
    /** `barrier`: every earlier batch commits first (a key seen again must be written after it). */
    const flush = async (through: number, barrier = false) => {
      const lines = batch;
      batch = [];
      keys = new Set();
      if (barrier) await Promise.all(slots);
      const index = scheduled++;
      const slot = index % writers;
      await slots[slot];
      slots[slot] = write(runners[slot], lines, index, through);
      slots[slot].catch(() => undefined);
    };
    /** An article line into the batch; a key seen again waits for the earlier line's commit. */
    const add = async (line: BatchLine) => {
      const key = lineKey(line.input);
      if (deferredKeys.has(key)) {
        // An earlier line for the same article is held back: this one follows it.
        deferred.push(line);
        return;
      }
      if (keys.has(key)) await flush(line.line - 1, true);
      keys.add(key);
      batch.push(line);
      if (batch.length >= IMPORT_BATCH_SIZE) await flush(line.line);
    };
    /** A section or ranking line, alone in its transaction once every earlier line committed. */
    const writeSite = async (item: ImportItem) => {
      await flush(item.line - 1, true);
      await Promise.all(slots);
      const outcome = await this.writeSiteLine(runner, item, summary.dryRun);
      if (typeof outcome === 'object') fail({ line: item.line, externalId: null, message: outcome.message });
      else {
        summary[outcome]++;
        if (item.section && outcome !== 'unchanged') sectionsChanged = true;
      }
    };

    try {
      for (const r of runners) {
        await r.connect();
        await r.query(`SET application_name = '${IMPORT_APPLICATION_NAME}'`);
      }
      if (summary.dryRun) await runner.startTransaction();
      const items: AsyncGenerator<ImportItem> = parseImport(options.format, source, {
        status: options.status ?? 'published',
      });
      for await (const item of items) {
        seenThrough = item.line;
        processed++;
        const refused = item.skipped ? undefined : this.refusal(item);
        if (item.skipped) summary.skipped++;
        else if (item.section) await writeSite(item);
        else if (item.ranking) rankings.push(item);
        else if (refused !== undefined || !item.input)
          fail({
            line: item.line,
            externalId: item.externalId ?? null,
            message: refused ?? 'not an article',
          });
        else {
          // The body's source text is not needed once converted: the batch waiting for a writer
          // keeps only the blocks and their renderings.
          const { body: _body, bodyHtml: _html, bodyText: _text, ...input } = item.input;
          await add({ line: item.line, input, body: prepareBody(item.input) });
          if (item.note !== undefined)
            summary.notes.push({ line: item.line, externalId: item.externalId ?? null, message: item.note });
        }
      }
      await flush(seenThrough, true);
      await Promise.all(slots);
      // Held-back lines again, in file order, until a round writes none of them; the last round
      // holds nothing back, so what still pins an unknown article fails then.
      while (deferred.length) {
        const pending = deferred.sort((a, b) => a.line - b.line);
        deferred = [];
        deferredKeys = new Set();
        for (const line of pending) await add(line);
        await flush(seenThrough, true);
        await Promise.all(slots);
        if (deferred.length === pending.length) allowDefer = false;
      }
      firstDeferred = Infinity;
      // Rankings last: their members may be any article of the file.
      for (const item of rankings) await writeSite(item);
      if (summary.dryRun) await runner.rollbackTransaction();
      summary.errors.sort((a, b) => a.line - b.line);
      // A line that then failed to be written was not imported at all: its error says so.
      const failedLines = new Set(summary.errors.map((e) => e.line));
      summary.notes = summary.notes.filter((n) => !failedLines.has(n.line));
      return summary;
    } catch (err) {
      await Promise.allSettled(slots);
      for (const r of runners)
        if (r.isTransactionActive && !r.isReleased) await r.rollbackTransaction().catch(() => undefined);
      // TypeORM releases a runner whose connection broke: later queries fail with that instead.
      if (isDatabaseUnavailable(err) || runners.some((r) => r.isReleased))
        throw new DomainError(
          'DATABASE_UNAVAILABLE',
          summary.dryRun
            ? 'The database failed during the dry run; nothing was written.'
            : `The database failed during the import; lines up to ${safeThrough()} are committed. Run the same import again to complete it.`,
          undefined,
          { retryAfter: 1, processedThroughLine: summary.dryRun ? 0 : safeThrough() },
        );
      throw err;
    } finally {
      if (options.createSections || sectionsChanged) this.sectionCache?.invalidate();
      // Section names and places show in every breadcrumb.
      if (sectionsChanged && !summary.dryRun) this.invalidation?.everythingChanged();
      for (const r of runners)
        if (!r.isReleased) {
          await r.query(`RESET application_name`).catch(() => undefined);
          await r.release().catch(() => undefined);
        }
    }
  }

  /** Why an item cannot be imported (the parser's reason, or a setting of this server), if it cannot. */
  private refusal(item: ImportItem): string | undefined {
    if (item.error !== undefined || !item.input) return item.error;
    const errors = reactionTypeErrors(item.input, this.config.reactionTypes);
    return errors.length ? formatFieldErrors(errors) : undefined;
  }

  /**
   * fetchMedia: each line's hero image by URL becomes the media library's picture from that URL
   * (fetched under the library's rules: size cap, timeout, no private addresses unless allowed),
   * with the line's alt, caption and credit kept over the picture's own. A URL is fetched once per
   * import, and a picture fetched by an earlier import is used again. One that cannot be fetched
   * stays a remote image and the line gets a note: a story is never refused for its picture.
   */
  private async bringPictures(
    lines: BatchLine[],
    pictures: Map<string, Promise<string | Error>>,
    note: (n: ImportLineNote) => void,
    actor: Actor,
  ): Promise<void> {
    const media = this.media as MediaService;
    const remote = lines.filter((l) => l.input.heroImage?.url && !l.input.heroImage.media);
    for (let i = 0; i < remote.length; i += PICTURE_FETCHES) {
      await Promise.all(
        remote.slice(i, i + PICTURE_FETCHES).map(async (l) => {
          const hero = l.input.heroImage as HeroImageValue & { url: string };
          let found = pictures.get(hero.url);
          if (!found) {
            found = media
              .fetchOnce(
                {
                  url: hero.url,
                  alt: hero.alt ?? undefined,
                  caption: hero.caption ?? undefined,
                  credit: hero.credit ?? undefined,
                },
                actor,
              )
              .then(
                (m) => m.id,
                (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
              );
            pictures.set(hero.url, found);
          }
          const id = await found;
          if (id instanceof Error)
            note({
              line: l.line,
              externalId: l.input.externalId ?? null,
              message: `heroImage: ${hero.url} was not brought into the media library (${id.message}); kept as a remote image`,
            });
          else l.input.heroImage = { media: id, alt: hero.alt, caption: hero.caption, credit: hero.credit };
        }),
      );
    }
  }

  /**
   * A section or ranking line behind a savepoint (in its own transaction, or in a dry run's), so
   * a refused line writes nothing and the import goes on.
   */
  private async writeSiteLine(
    runner: QueryRunner,
    item: ImportItem,
    dryRun: boolean,
  ): Promise<'created' | 'updated' | 'unchanged' | { message: string }> {
    if (!dryRun) await runner.startTransaction();
    try {
      await runner.query('SAVEPOINT import_site_line');
      let outcome: SiteLineOutcome;
      try {
        outcome = item.section
          ? await writeSectionLine(runner.manager, this.repo.sectionRows, item.section)
          : await writeRankingLine(runner.manager, this.store, item.ranking as RankingLine);
      } catch (err) {
        if (isDatabaseUnavailable(err) || runner.isReleased) throw err;
        outcome = { errors: [{ path: '(line)', message: lineFailure(err) }] };
      }
      if (typeof outcome === 'object') await runner.query('ROLLBACK TO SAVEPOINT import_site_line');
      else await runner.query('RELEASE SAVEPOINT import_site_line');
      if (!dryRun) await runner.commitTransaction();
      return typeof outcome === 'object' ? { message: formatFieldErrors(outcome.errors) } : outcome;
    } catch (err) {
      if (!dryRun && runner.isTransactionActive && !runner.isReleased)
        await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  }

  /**
   * The batch in one set-based pass; if the database refuses it (a race with another writer, a
   * constraint the checks did not foresee), each line again alone behind its own savepoint.
   */
  private async writeWithFallback(
    manager: EntityManager,
    lines: BatchLine[],
    options: ImportOptions & { defer: boolean; startedAt: Date },
  ): Promise<BatchResult> {
    const runner = manager.queryRunner as QueryRunner;
    const write = (ls: BatchLine[]) =>
      writeArticleBatch(manager, this.store, ls, {
        mode: 'upsert',
        createSections: options.createSections === true,
        actor: options.actor,
        events: this.events,
        leases: this.leases,
        audit: this.audit,
        defer: options.defer,
        createdAt: (line) => createdAtOf(options.startedAt, line),
        now: this.clock.date(),
      });
    await runner.query('SAVEPOINT import_batch');
    try {
      const result = await write(lines);
      await runner.query('RELEASE SAVEPOINT import_batch');
      return result;
    } catch (err) {
      if (isDatabaseUnavailable(err) || runner.isReleased) throw err;
      await runner.query('ROLLBACK TO SAVEPOINT import_batch');
    }
    const total = emptyBatchResult();
    for (const line of lines) {
      await runner.query('SAVEPOINT import_line');
      try {
        const r = await write([line]);
        await runner.query('RELEASE SAVEPOINT import_line');
        total.created += r.created;
        total.updated += r.updated;
        total.unchanged += r.unchanged;
        total.errors.push(...r.errors);
        total.writtenIds.push(...r.writtenIds);
        total.deferred.push(...r.deferred);
      } catch (err) {
        if (isDatabaseUnavailable(err) || runner.isReleased) throw err;
        await runner.query('ROLLBACK TO SAVEPOINT import_line');
        total.errors.push({
          line: line.line,
          externalId: line.input.externalId ?? null,
          errors: [],
          message: lineFailure(err),
        });
      }
    }
    return total;
  }
}

/** What makes two lines the same article: the externalId, else the slug (or the title's slug). */
export function lineKey(input: { externalId?: string; slug?: string; title?: string }): string {
  return input.externalId !== undefined
    ? `x:${input.externalId}`
    : `s:${input.slug ?? baseSlug(input.title ?? '')}`;
}

/**
 * The creation time of an imported article: the import's start plus its line number in
 * microseconds, so articles keep the order of the file (and an export of the new database lists
 * them as the file did), whichever batch or writer stores them.
 */
export function createdAtOf(startedAt: Date, line: number): string {
  const micros = startedAt.getTime() * 1000 + line;
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}

function lineFailure(err: unknown): string {
  if (err instanceof DomainError) return err.message;
  const code = (err as { code?: unknown }).code;
  if (code === '23505') return 'conflicts with another article (slug or externalId in use)';
  return 'could not be written';
}
