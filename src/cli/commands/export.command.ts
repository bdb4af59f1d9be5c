import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../articles/article-status';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { ExportService } from '../../imports/export.service';
import { ArticleStore } from '../../articles/article-store';
import { ImportRepository } from '../../imports/import.repository';
import { CliError, globalOptions, requireMigrated, withDatabase } from '../cli-context';

interface ExportOptions {
  section?: string;
  status?: string;
  updatedSince?: string;
}

/** `export [FILE]`: every article as NDJSON in the import format, to FILE or stdout. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export articles as NDJSON (the import format) to FILE, or to stdout')
    .argument('[file]', 'where to write (default: stdout)')
    .option('--section <slug>', 'only articles of this main section')
    .option('--status <status>', `only articles with this status (${ARTICLE_STATUSES.join('|')})`)
    .option('--updated-since <time>', 'only articles changed at or after this ISO-8601 time')
    .action(async (file: string | undefined, opts: ExportOptions, cmd: Command) => {
      if (opts.status && !(ARTICLE_STATUSES as readonly string[]).includes(opts.status))
        throw new CliError(`--status must be one of ${ARTICLE_STATUSES.join(', ')}`);
      if (opts.updatedSince && Number.isNaN(Date.parse(opts.updatedSince)))
        throw new CliError('--updated-since must be an ISO-8601 time');
      const out: Writable = file ? createWriteStream(file) : process.stdout;
      const g = globalOptions(cmd);
      if (g.url) {
        if (!g.key) throw new CliError('--key is required with --url');
        const query = new URLSearchParams();
        if (opts.section) query.set('section', opts.section);
        if (opts.status) query.set('status', opts.status);
        if (opts.updatedSince) query.set('updatedSince', opts.updatedSince);
        let res: Response;
        try {
          res = await fetch(new URL(`/api/v1/exports/articles?${query.toString()}`, g.url), {
            headers: { authorization: `Bearer ${g.key}` },
          });
        } catch (err) {
          throw new CliError(`cannot reach ${g.url}: ${String((err as { cause?: unknown }).cause ?? err)}`);
        }
        if (!res.ok || !res.body)
          throw new CliError(`the server answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await pipeline(Readable.fromWeb(res.body as never), out, { end: !!file });
        return;
      }
      await withDatabase(async (ds) => {
        await requireMigrated(ds);
        try {
          const lines = await new ExportService(
            new ImportRepository(ds),
            new ArticleStore(ds, new Clock()),
          ).lines({
            section: opts.section,
            status: opts.status as ArticleStatus | undefined,
            updatedSince: opts.updatedSince,
          });
          await pipeline(Readable.from(lines), out, { end: !!file });
        } catch (err) {
          if (err instanceof DomainError) throw new CliError(err.message);
          throw err;
        }
      });
    });
}
