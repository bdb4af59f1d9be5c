import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IMPORT_BATCH_SIZE } from '../../src/imports/import.service';
import type { BenchContext, Scenario } from '../scenario';

/**
 * The command line as `npm run cms` starts it (package.json's `cms` script, with its Node flags),
 * run here without npm in between, from the checkout under test. npm run bench builds src first.
 */
function cliCommand(root: string): string[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [node, ...args] = pkg.scripts.cms.split(/\s+/);
  if (node !== 'node') throw new Error(`the cms script does not start with node: ${pkg.scripts.cms}`);
  return [process.execPath, ...args];
}
const TIME = '/usr/bin/time';

const WORDS =
  'the council voted on a new budget for schools roads and parks after a long debate while residents ' +
  'said they wanted more time to study the plan before the final vote next month in the city hall';

/** The ~3 KB HTML body of generated article `i`: six paragraphs of 85 words. */
function bodyHtmlOf(i: number): string {
  const words = WORDS.split(' ');
  return [0, 1, 2, 3, 4, 5]
    .map((k) => {
      const p: string[] = [];
      for (let j = 0; j < 85; j++) p.push(words[(i * 7 + j * 3 + k * 11) % words.length]);
      return `<p>${p.join(' ')} ${i}.</p>`;
    })
    .join('');
}

/**
 * How many articles an import round writes: 100,000, or 10,000 with --quick; --import-articles
 * (or BENCH_IMPORT_ARTICLES) overrides.
 */
function importCount(ctx: BenchContext): number {
  return (
    ctx.importArticles ??
    Number(process.env.BENCH_IMPORT_ARTICLES ?? (ctx.durationSeconds < 10 ? 10_000 : 100_000))
  );
}

/** `count` articles as NDJSON, each with ~3 KB of HTML body in six paragraphs, a section and a tag. */
export async function writeImportFile(path: string, count: number, prefix: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    const line = JSON.stringify({
      externalId: `${prefix}-${i}`,
      title: `Imported story ${i} ${prefix}`,
      byline: 'Bench Writer',
      bodyHtml: bodyHtmlOf(i),
      section: `bench-import-${i % 10}`,
      sectionName: `Bench import ${i % 10}`,
      tags: [{ slug: `bench-import-tag-${i % 50}`, name: `Import tag ${i % 50}` }],
      status: 'published',
      publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    });
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * What the issue calibrates the import against ("bare 3 KB rows insert at ~10,000/s here"): the
 * same number of rows as the import, each an id, a title and the same ~3 KB body, nothing else
 * (no blocks, renderings, search vector, indexes but the key, or links), written by one
 * connection with COPY in transactions of 250, as the import writes. The rows are made before the
 * clock starts. req/s = rows/s.
 */
export const bareRowsBaseline: Scenario = {
  name: 'baseline: COPY bare 3 KB rows (rows/s)',
  description:
    "Raw pg + pg-copy-streams: the import's row count as bare rows (uuid key, title, ~3 KB body text) into a table with no other index, one COPY per 250 rows, one connection. The import's × baseline is its articles/s over these rows/s.",
  run: async (ctx) => {
    const count = importCount(ctx);
    const chunks: string[] = [];
    for (let b = 0; b < count; b += IMPORT_BATCH_SIZE) {
      let chunk = '';
      for (let i = b; i < Math.min(count, b + IMPORT_BATCH_SIZE); i++)
        chunk += `${randomUUID()}\tBare row ${i}\t${bodyHtmlOf(i)}\n`;
      chunks.push(chunk);
    }
    const db = new Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    try {
      await db.query(`DROP TABLE IF EXISTS bench_bare_rows`);
      await db.query(
        `CREATE TABLE bench_bare_rows (id uuid PRIMARY KEY, title text NOT NULL, body text NOT NULL)`,
      );
      const started = process.hrtime.bigint();
      for (const chunk of chunks)
        await pipeline(Readable.from([chunk]), db.query(copyFrom(`COPY bench_bare_rows FROM STDIN`)));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stderr.write(`  bare rows: ${count} in ${seconds.toFixed(2)} s\n`);
      return { requestsPerSecond: count / seconds, errors: 0, total: count };
    } finally {
      await db.query(`DROP TABLE IF EXISTS bench_bare_rows`).catch(() => undefined);
      await db.end();
    }
  },
};

/**
 * `npm run cms -- import FILE` in direct mode on the bench database: a generated NDJSON file
 * (100,000 articles, or 10,000 with --quick; BENCH_IMPORT_ARTICLES overrides), new articles
 * every round (then deleted again, so later rounds read the same data set). The req/s column
 * is articles per second; the peak RSS of the CLI process is printed.
 */
export const cliImport: Scenario = {
  name: 'CLI import NDJSON (articles/s)',
  baseline: bareRowsBaseline.name,
  description:
    '`cms import FILE --create-sections` in direct database mode: 100,000 generated articles with ~3 KB HTML bodies (sanitised into blocks, rendered, hashed, full-text indexed), batches of 250. req/s = articles/s.',
  run: async (ctx) => {
    const count = importCount(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
    const prefix = `bench-import-${Date.now().toString(36)}`;
    const file = join(dir, 'articles.ndjson');
    try {
      await writeImportFile(file, count, prefix);
      const withTime = existsSync(TIME);
      const [node, ...args] = [...cliCommand(ctx.root), 'import', file, '--create-sections', '--json'];
      const child = spawn(withTime ? TIME : node, withTime ? ['-v', node, ...args] : args, {
        cwd: ctx.root,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: ctx.databaseUrl, LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const [code] = (await once(child, 'close')) as [number | null];
      const summary = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
        created?: number;
        failed?: number;
        seconds?: number;
        articlesPerSecond?: number;
        peakRssMb?: number;
      };
      if (code !== 0 || summary.created !== count)
        throw new Error(`cms import exited with ${code}: ${stderr.slice(-500)}`);
      const maxRssKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
      const peakMb = maxRssKb ? Math.round(Number(maxRssKb) / 1024) : summary.peakRssMb;
      process.stderr.write(
        `  cms import: ${count} articles in ${summary.seconds} s = ${summary.articlesPerSecond} articles/s, peak RSS ${peakMb} MB\n`,
      );
      return { requestsPerSecond: summary.articlesPerSecond, errors: summary.failed ?? 0, total: count };
    } finally {
      rmSync(dir, { recursive: true, force: true });
      const db = new Client({ connectionString: ctx.databaseUrl });
      await db.connect();
      await db.query(`DELETE FROM articles WHERE external_id LIKE $1`, [`${prefix}-%`]);
      await db.end();
    }
  },
};
