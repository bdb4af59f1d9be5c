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
import { attributeFlood } from '../../test/support/hostile-xml';
import type { BenchContext, Measurement, Scenario } from '../scenario';

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

/** Size of the hostile XML document: 50 MB (6.6 million attributes); BENCH_HOSTILE_XML_MB overrides. */
function hostileXmlBytes(): number {
  return Number(process.env.BENCH_HOSTILE_XML_MB ?? 50) * 1024 * 1024;
}

/**
 * The server's event-loop delay since the last scrape: prom-client's default metrics read
 * perf_hooks.monitorEventLoopDelay (10 ms resolution, so an idle loop reads about 10 ms) and
 * reset it on every scrape of /metrics.
 */
async function eventLoopDelay(appUrl: string): Promise<{ p99Ms: number; maxMs: number }> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const gauge = (name: string) => {
    const value = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1];
    if (value === undefined) throw new Error(`/metrics has no ${name}`);
    return Number(value) * 1000;
  };
  return {
    p99Ms: gauge('nodejs_eventloop_lag_p99_seconds'),
    maxMs: gauge('nodejs_eventloop_lag_max_seconds'),
  };
}

/** POST /imports of a hostile XML document, while /health/live is asked again and again. */
async function importHostileXml(ctx: BenchContext, bytes: number): Promise<Measurement> {
  const guid = `bench-hostile-${Date.now().toString(36)}`;
  // Encoded once, before the clock: the bench process must not stall while sending it.
  const body = Buffer.from(attributeFlood(guid, bytes));
  // The same health checks for a while with no import first: what this machine's load alone does.
  await eventLoopDelay(ctx.appUrl); // starts the window: the histogram is reset
  const quiet = await healthChecks(ctx.appUrl, sleep(IDLE_WINDOW_MS));
  const idle = await eventLoopDelay(ctx.appUrl); // and starts the import's window
  const started = performance.now();
  const importing = fetch(`${ctx.appUrl}/api/v1/imports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.editorKey}`, 'content-type': 'application/rss+xml' },
    body,
  }).then(
    async (res) => ({ status: res.status, summary: (await res.text()).slice(0, 500) }),
    (err: unknown) => ({ status: 0, summary: String((err as { cause?: unknown }).cause ?? err) }),
  );
  const checks = await healthChecks(ctx.appUrl, importing);
  const answer = await importing;
  const seconds = (performance.now() - started) / 1000;
  const loop = await eventLoopDelay(ctx.appUrl);
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  await db.query(`DELETE FROM articles WHERE external_id = $1`, [guid]);
  await db.end();
  if (answer.status !== 200 || !answer.summary.includes('"created":1'))
    throw new Error(`the hostile import answered ${answer.status}: ${answer.summary}`);
  const s = checks.times.sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  process.stderr.write(
    `  hostile XML: ${(body.length / 2 ** 20).toFixed(0)} MB imported in ${seconds.toFixed(1)} s; ` +
      `event-loop delay p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(1)} ms ` +
      `(with no import: p99 ${idle.p99Ms.toFixed(1)} ms, max ${idle.maxMs.toFixed(1)} ms); ` +
      `${s.length} health checks, slowest ${at(1).toFixed(1)} ms (with no import: ${Math.max(...quiet.times).toFixed(1)} ms)\n`,
  );
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    count: s.length,
    failures: checks.failures,
    eventLoopDelayP99Ms: loop.p99Ms,
    eventLoopDelayMaxMs: loop.maxMs,
    idleEventLoopDelayP99Ms: idle.p99Ms,
    slowestHealthCheckMs: at(1),
  };
}

/** How long the health checks run with no import, before it. */
const IDLE_WINDOW_MS = 3000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** /health/live asked again and again, one at a time, until `until` settles. */
async function healthChecks(
  appUrl: string,
  until: Promise<unknown>,
): Promise<{ times: number[]; failures: number }> {
  let done = false;
  const stop = () => void (done = true);
  until.then(stop, stop);
  const times: number[] = [];
  let failures = 0;
  while (!done) {
    const asked = performance.now();
    const res = await fetch(`${appUrl}/health/live`);
    await res.arrayBuffer();
    times.push(performance.now() - asked);
    if (res.status !== 200) failures++;
  }
  return { times, failures };
}

/**
 * An editor's import of a hostile 50 MB XML document (an RSS feed whose elements carry 6.6 million
 * attributes, around one real item) while health checks keep coming. What counts is that the
 * server keeps answering meanwhile: the event-loop delay, and how long the health checks took.
 */
export const hostileXmlImport: Scenario = {
  name: 'hostile 50 MB XML import (health checks meanwhile)',
  description:
    'POST /imports of a 50 MB RSS document of 6.6 million attributes around one real item (BENCH_HOSTILE_XML_MB sets the size), while one client asks /health/live again and again until the import answers. The latency columns are those health checks (p95 and p99 over every check of the round); the event-loop delay of the server during the import (perf_hooks.monitorEventLoopDelay as /metrics reports it, 10 ms resolution) is listed under Counters.',
  warmUp: (ctx) => importHostileXml(ctx, 1024 * 1024),
  run: (ctx) => importHostileXml(ctx, hostileXmlBytes()),
};
