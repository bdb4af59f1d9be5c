import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { CacheInvalidation } from '../../common/cache/cache-invalidation';
import { ClusterBus } from '../../common/cluster/cluster-bus';
import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/config';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../imports/import-line';
import { outboxOnly } from '../../imports/import-events';
import { ArticleStore } from '../../articles/article-store';
import { EditLeases } from '../../articles/editing/edit-leases.service';
import { EditingRepository } from '../../articles/editing/editing.repository';
import { AuditRepository } from '../../audit/audit.repository';
import { AuditService } from '../../audit/audit.service';
import { systemActor } from '../../common/auth/actor';
import { Clock } from '../../common/clock/clock';
import { ImportRepository } from '../../imports/import.repository';
import { ImportService, type ImportLineError, type ImportSummary } from '../../imports/import.service';
import { detectFormat, DETECT_FORMAT_BYTES, IMPORT_FORMATS, type ImportFormat } from '../../imports/parsers';
import { OutboxRepository } from '../../webhooks/outbox.repository';
import {
  CliError,
  globalOptions,
  print,
  requireMigrated,
  withDatabase,
  type GlobalOptions,
} from '../cli-context';

const CONTENT_TYPES: Record<ImportFormat, string> = {
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  wxr: 'application/xml',
  ninjs: 'application/vnd.iptc.ninjs+json',
};

interface ImportCommandOptions {
  format?: string;
  dryRun?: boolean;
  createSections?: boolean;
  status?: string;
  json?: boolean;
}

/** `import FILE`: the same import as POST /imports, on the database (default) or over REST. */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import articles from a file (NDJSON, a JSON array, RSS, Atom, WordPress WXR or IPTC ninjs)')
    .argument('<file>', 'the file to import')
    .option('--format <format>', `${IMPORT_FORMATS.join('|')} (default: from the file's first bytes)`)
    .option('--dry-run', 'check and count everything, write nothing')
    .option('--create-sections', 'make the sections lines name instead of failing those lines')
    .option(
      '--status <status>',
      `status of feed items that carry none (${ARTICLE_STATUSES.join('|')})`,
      'published',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: ImportCommandOptions, cmd: Command) => {
      if (opts.format && !(IMPORT_FORMATS as readonly string[]).includes(opts.format))
        throw new CliError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
      if (opts.status && !(ARTICLE_STATUSES as readonly string[]).includes(opts.status))
        throw new CliError(`--status must be one of ${ARTICLE_STATUSES.join(', ')}`);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new CliError(`cannot read ${file}`);
      }
      const format = (opts.format as ImportFormat | undefined) ?? (await sniff(file));
      const started = Date.now();
      const report = new ErrorReport(`${file}.errors.ndjson`);
      const g = globalOptions(cmd);
      let summary: ImportSummary;
      try {
        summary = g.url
          ? await importRemote(g, file, format, opts)
          : await importDirect(file, size, format, opts, (e) => report.add(e));
        if (g.url) for (const e of summary.errors) report.add(e);
      } finally {
        await report.close();
      }
      const seconds = (Date.now() - started) / 1000;
      const written = summary.created + summary.updated + summary.unchanged;
      const stats = {
        ...summary,
        errors: undefined,
        seconds: Number(seconds.toFixed(2)),
        articlesPerSecond: Math.round(written / Math.max(seconds, 0.001)),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        report: summary.failed ? report.path : null,
      };
      if (opts.json) print(JSON.stringify(stats));
      else printSummary(stats);
      if (summary.failed)
        throw new CliError(`${summary.failed} line(s) failed; the failed lines are listed in ${report.path}`);
    });
}

async function sniff(file: string): Promise<ImportFormat> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(DETECT_FORMAT_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const format = detectFormat(undefined, head.subarray(0, bytesRead));
    if (!format) throw new CliError(`cannot tell the format of ${file}: give --format`);
    return format;
  } finally {
    await handle.close();
  }
}

async function importDirect(
  file: string,
  size: number,
  format: ImportFormat,
  opts: ImportCommandOptions,
  onError: (e: ImportLineError) => void,
): Promise<ImportSummary> {
  return withDatabase(async (ds, config) => {
    await requireMigrated(ds);
    // With REDIS_URL, running servers drop what each committed batch changed from their read
    // caches, as they do for an import they run themselves. Without it they cannot be told.
    const bus = config.redisUrl ? new ClusterBus(config) : undefined;
    const audit = new AuditService(new AuditRepository(ds), config);
    const clock = new Clock();
    const service = new ImportService(
      new ImportRepository(ds),
      new ArticleStore(ds, clock),
      outboxOnly(new OutboxRepository(clock)),
      new EditLeases(new EditingRepository(ds), clock, audit),
      audit,
      config,
      undefined,
      bus && new CacheInvalidation(bus),
    );
    const progress = new Progress(size);
    const source = createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          progress.bytes(chunk.length);
          callback(null, chunk);
        },
      }),
    );
    try {
      return await service.run(source, {
        format,
        dryRun: opts.dryRun,
        createSections: opts.createSections,
        status: opts.status as ArticleStatus,
        actor: systemActor('command line'),
        // Two connections on PostgreSQL (the embedded database serves one session at a time).
        writers: loadConfig().databaseUrl ? 2 : 1,
        onProgress: (p) => progress.lines(p.processed),
        onError,
      });
    } catch (err) {
      if (err instanceof DomainError && err.extra?.processedThroughLine !== undefined)
        throw new CliError(`${err.message} (processedThroughLine ${Number(err.extra.processedThroughLine)})`);
      if (err instanceof DomainError) throw new CliError(err.message);
      throw err;
    } finally {
      progress.stop();
      // Sends what is still queued, then disconnects.
      await bus?.onModuleDestroy();
    }
  });
}

async function importRemote(
  g: GlobalOptions,
  file: string,
  format: ImportFormat,
  opts: ImportCommandOptions,
): Promise<ImportSummary> {
  if (!g.key) throw new CliError('--key is required with --url');
  const query = new URLSearchParams();
  if (opts.dryRun) query.set('dryRun', 'true');
  if (opts.createSections) query.set('createSections', 'true');
  if (opts.status) query.set('status', opts.status);
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1/imports?${query.toString()}`, g.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${g.key}`, 'content-type': CONTENT_TYPES[format] },
      body: Readable.toWeb(createReadStream(file)) as ReadableStream,
      duplex: 'half',
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach ${g.url}: ${cause?.code ?? cause?.message ?? String(err)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = text.slice(0, 300);
    try {
      const problem = JSON.parse(text) as { detail?: string; processedThroughLine?: number };
      detail = problem.detail ?? detail;
      if (problem.processedThroughLine !== undefined)
        detail += ` (processedThroughLine ${problem.processedThroughLine})`;
    } catch {
      // not a problem document
    }
    throw new CliError(`the server answered ${res.status}: ${detail}`);
  }
  return JSON.parse(text) as ImportSummary;
}

/** A bar with rate and ETA on a terminal; a plain line every few seconds otherwise. */
class Progress {
  private readonly bar?: SingleBar;
  private read = 0;
  private processed = 0;
  private lastPrint = Date.now();
  private readonly started = Date.now();

  constructor(private readonly total: number) {
    if (process.stderr.isTTY) {
      this.bar = new SingleBar(
        {
          format: 'importing [{bar}] {percentage}% | {lines} lines | {rate} lines/s | ETA {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), 0, { lines: 0, rate: 0 });
    }
  }

  bytes(n: number): void {
    this.read += n;
  }

  lines(processed: number): void {
    this.processed = processed;
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = Math.round(processed / seconds);
    if (this.bar) this.bar.update(this.read, { lines: processed, rate });
    else if (Date.now() - this.lastPrint >= 2000) {
      this.lastPrint = Date.now();
      const pct = this.total ? Math.floor((this.read / this.total) * 100) : 100;
      process.stderr.write(`imported ${processed} lines (${pct}% of the file, ${rate} lines/s)\n`);
    }
  }

  stop(): void {
    if (this.bar) {
      this.bar.update(this.read, { lines: this.processed });
      this.bar.stop();
    }
  }
}

/** The failed lines, one JSON object a line, written as they happen; the file only exists when needed. */
class ErrorReport {
  private out?: WriteStream;
  constructor(readonly path: string) {}

  add(e: ImportLineError): void {
    this.out ??= createWriteStream(this.path);
    this.out.write(`${JSON.stringify(e)}\n`);
  }

  close(): Promise<void> {
    const out = this.out;
    if (!out) return Promise.resolve();
    return new Promise((resolve) => out.end(resolve));
  }
}

function printSummary(s: Record<string, unknown>): void {
  const rows: [string, unknown][] = [
    ['dry run', s.dryRun ? 'yes' : 'no'],
    ['created', s.created],
    ['updated', s.updated],
    ['unchanged', s.unchanged],
    ['skipped', s.skipped],
    ['failed', s.failed],
    ['seconds', s.seconds],
    ['articles/s', s.articlesPerSecond],
    ['peak memory (MB)', s.peakRssMb],
  ];
  if (s.report) rows.push(['failed lines', s.report]);
  const width = Math.max(...rows.map(([k]) => k.length));
  print(`+-${'-'.repeat(width)}-+-${'-'.repeat(12)}`);
  for (const [k, v] of rows) print(`| ${k.padEnd(width)} | ${String(v)}`);
  print(`+-${'-'.repeat(width)}-+-${'-'.repeat(12)}`);
  // Notes are about lines that were imported, so an editor can find and review each one.
  const notes = (s.notes ?? []) as ImportLineError[];
  for (const n of notes.slice(0, NOTES_SHOWN))
    print(`note: line ${n.line}${n.externalId ? ` (${n.externalId})` : ''}: ${n.message}`);
  if (notes.length > NOTES_SHOWN)
    print(`… and ${notes.length - NOTES_SHOWN} more notes (--json lists them all)`);
}

const NOTES_SHOWN = 20;
