/**
 * npm run bench [-- --articles N] [--views N] [--rounds N] [--quick] [--only name,name]
 *                  [--import-articles N] [--compare <git ref>]
 *
 * Builds a scratch database with a generated newsroom, starts the built server in production mode
 * and the raw node:http + pg baseline on the same database, then runs every scenario in alternating
 * rounds (so drift cancels) and reports medians and ratios to the baseline. Results go to
 * bench/results/<date>.json and BENCHMARKS.md.
 *
 * With --compare <ref>, the ref is built beside the working tree and both servers are measured in
 * the same run instead (bench/compare.ts); BENCHMARKS.md is left alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { runComparison } from './compare';
import { median } from './load';
import { coldPerRun, prepareDatabase } from './data';
import { appServerEnv, startProcess, waitFor, waitReady } from './processes';
import { fmt, machine, resultsFileName } from './report';
import type { BenchContext, Measurement, Scenario } from './scenario';
import { SCENARIOS } from './scenarios';

const root = resolve(__dirname, '../..');

interface Row {
  name: string;
  description: string;
  baseline?: string;
  rounds: Measurement[];
  rps?: number;
  p50?: number;
  p95?: number;
  p97_5?: number;
  p99?: number;
  ratio?: number;
  errors: number;
  lost?: number;
  subscriptionDelayMs?: number;
  eventLoopDelayP99Ms?: number;
  eventLoopDelayMaxMs?: number;
  idleEventLoopDelayP99Ms?: number;
  slowestHealthCheckMs?: number;
  peakRssMb?: number;
}

function summarise(scenarios: Scenario[], results: Map<string, Measurement[]>): Row[] {
  const rows: Row[] = scenarios.map((s) => {
    const rounds = results.get(s.name) ?? [];
    const pick = (k: keyof Measurement) => {
      const v = rounds.map((r) => r[k]).filter((x): x is number => typeof x === 'number');
      return v.length ? median(v) : undefined;
    };
    return {
      name: s.name,
      description: s.description,
      baseline: s.baseline,
      rounds,
      rps: pick('requestsPerSecond'),
      p50: pick('p50'),
      p95: pick('p95'),
      p97_5: pick('p97_5'),
      p99: pick('p99'),
      errors: rounds.reduce((n, r) => n + (r.errors ?? 0) + (r.non2xx ?? 0) + (r.failures ?? 0), 0),
      lost: rounds.some((r) => r.lost !== undefined)
        ? rounds.reduce((n, r) => n + (r.lost ?? 0), 0)
        : undefined,
      subscriptionDelayMs: pick('subscriptionDelayMs'),
      eventLoopDelayP99Ms: pick('eventLoopDelayP99Ms'),
      eventLoopDelayMaxMs: pick('eventLoopDelayMaxMs'),
      idleEventLoopDelayP99Ms: pick('idleEventLoopDelayP99Ms'),
      slowestHealthCheckMs: pick('slowestHealthCheckMs'),
      peakRssMb: rounds.some((r) => r.peakRssMb !== undefined)
        ? Math.max(...rounds.map((r) => r.peakRssMb ?? 0))
        : undefined,
    };
  });
  for (const row of rows) {
    const base = rows.find((r) => r.name === row.baseline);
    if (base?.rps && row.rps !== undefined) row.ratio = row.rps / base.rps;
  }
  return rows;
}

function markdown(rows: Row[], meta: Record<string, string | number>): string {
  const lines = [
    '# Benchmarks',
    '',
    `Latest run: ${meta.date}, on ${meta.machine}, PostgreSQL ${meta.postgres}.`,
    `Data: ${meta.articles} generated articles. Each scenario warms up once, unmeasured (the article reads read every slug once, and again before each later round; the others run for a few seconds), then ${meta.rounds} alternating rounds of ${meta.duration} s per scenario, ${meta.connections} connections (load from autocannon on the same machine); numbers are medians over the rounds.`,
    '',
    'Reproduce: `npm run bench` (needs PostgreSQL: `BENCH_DATABASE_URL`, else `DATABASE_URL`, else postgresql://postgres@127.0.0.1:5432/postgres; it makes and drops its own `dateline_bench` database, or `BENCH_DATABASE_NAME`). It builds first (`npm run build`, then the bench itself), so it works from a fresh clone after `npm ci`. `npm run bench -- --quick` for a short run, `--articles N` for another data size, `--import-articles N` for the import rounds, `--rounds N`, `--only a,b` for some scenarios.',
    '',
    "Compare with another version: `npm run bench -- --compare <git ref>` builds the ref beside the working tree (in the system temporary directory, kept per commit), gives each server its own copy of the same data set (the ref's taken back to its migrations), runs every scenario on both in turns and prints both medians and the ratio (req/s current ÷ ref; latency: p50 ref ÷ current), flagging any below 0.9×. Raw rounds go to `bench/results/compare-<date>.json`; this file is not rewritten. A change is expected to keep every scenario at 0.9× the ref or better.",
    '',
    '| scenario | req/s | × baseline | p50 ms | p97.5 ms | p95 ms (sequential) | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${fmt(r.rps)} | ${r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}×${r.baseline ? ` ${r.baseline}` : ''}`} | ${fmt(r.p50, 1)} | ${fmt(r.p97_5, 1)} | ${fmt(r.p95, 1)} | ${fmt(r.p99, 1)} | ${r.errors} |`,
    );
  }
  lines.push('', 'What each scenario does:', '');
  for (const r of rows) lines.push(`- **${r.name}**: ${r.description}`);
  const counted = rows.filter(
    (r) =>
      r.lost !== undefined ||
      r.subscriptionDelayMs !== undefined ||
      r.eventLoopDelayP99Ms !== undefined ||
      r.peakRssMb !== undefined,
  );
  if (counted.length) lines.push('', 'Counters:', '');
  for (const r of counted) {
    const parts = [r.lost === undefined ? '' : `lost ${r.lost}`];
    if (r.subscriptionDelayMs !== undefined)
      parts.push(`subscription delay ${fmt(r.subscriptionDelayMs, 1)} ms (median)`);
    if (r.eventLoopDelayP99Ms !== undefined)
      parts.push(
        `event-loop delay during the import p99 ${fmt(r.eventLoopDelayP99Ms, 1)} ms, max ${fmt(r.eventLoopDelayMaxMs, 1)} ms (with no import just before: p99 ${fmt(r.idleEventLoopDelayP99Ms, 1)} ms); slowest health check ${fmt(r.slowestHealthCheckMs, 1)} ms (medians over the rounds)`,
      );
    if (r.peakRssMb !== undefined)
      parts.push(`peak RSS of the server ${fmt(r.peakRssMb)} MiB (highest over the rounds)`);
    lines.push(`- **${r.name}**: ${parts.filter(Boolean).join(', ')}`);
  }
  lines.push('', `Raw numbers of every round: \`bench/results/${meta.file}\`.`, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '10000' },
      views: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      connections: { type: 'string', default: '50' },
      'import-articles': { type: 'string' },
      compare: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  const rounds = Number(values.rounds ?? (quick ? 1 : 5));
  const durationSeconds = quick ? 3 : 10;
  const only = values.only ? new Set(scenarioNames(values.only)) : null;
  const scenarios = SCENARIOS.filter(
    (s) => !only || only.has(s.name) || SCENARIOS.some((o) => only.has(o.name) && o.baseline === s.name),
  );
  const importArticles =
    values['import-articles'] !== undefined
      ? positive('--import-articles', values['import-articles'])
      : undefined;

  if (values.compare !== undefined) {
    await runComparison({
      ref: values.compare,
      root,
      scenarios,
      articles: positive('--articles', values.articles ?? ''),
      views: values.views !== undefined ? Number(values.views) : undefined,
      rounds,
      durationSeconds,
      warmUpSeconds: quick ? 1 : 3,
      connections: Number(values.connections),
      importArticles,
    });
    return;
  }

  const data = await prepareDatabase(
    Number(values.articles),
    values.views !== undefined ? Number(values.views) : undefined,
  );
  const app = await startProcess(
    resolve(root, 'dist/main.js'),
    appServerEnv(data.databaseUrl, data.adminKey),
    root,
  );
  const baseline = await startProcess(resolve(root, 'dist-bench/bench/baseline-server.js'), {
    DATABASE_URL: data.databaseUrl,
  });
  const reactionBaseline = await startProcess(resolve(root, 'dist-bench/bench/reaction-baseline-server.js'), {
    DATABASE_URL: data.databaseUrl,
  });
  const ctx: BenchContext = {
    root,
    appUrl: app.url,
    baselineUrl: baseline.url,
    reactionBaselineUrl: reactionBaseline.url,
    databaseUrl: data.databaseUrl,
    editorKey: data.adminKey,
    slugs: data.slugs,
    coldSlugs: data.coldSlugs,
    coldPerRun: coldPerRun(data.coldSlugs.length, rounds),
    appPid: app.child.pid,
    sectionSlugs: data.sectionSlugs,
    clientIds: data.clientIds,
    durationSeconds,
    connections: Number(values.connections),
    importArticles,
  };
  const results = new Map<string, Measurement[]>();
  try {
    await waitReady(ctx.appUrl);
    await waitFor(ctx.baselineUrl);
    await waitFor(ctx.reactionBaselineUrl);
    for (const s of scenarios) {
      process.stdout.write(`warm-up: ${s.name} … `);
      const started = Date.now();
      await (s.warmUp ? s.warmUp(ctx) : s.run({ ...ctx, durationSeconds: quick ? 1 : 3 }));
      process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      for (const s of order) {
        // Reads that rotate over every slug read each one again first, unmeasured: entries a
        // busy site keeps warm may have reached their time to live in the minutes between rounds.
        if (round > 0 && s.warmUp) await s.warmUp(ctx);
        process.stdout.write(`round ${round + 1}/${rounds}: ${s.name} … `);
        const m = await s.run(ctx);
        results.set(s.name, [...(results.get(s.name) ?? []), m]);
        process.stdout.write(
          `${m.requestsPerSecond !== undefined ? `${fmt(m.requestsPerSecond)} req/s ` : ''}p50 ${fmt(m.p50, 1)} ms p99 ${fmt(m.p99, 1)} ms${m.lost !== undefined ? ` lost ${m.lost}` : ''}${m.subscriptionDelayMs !== undefined ? ` subscription ${fmt(m.subscriptionDelayMs, 1)} ms` : ''}${m.eventLoopDelayP99Ms !== undefined ? ` event-loop delay p99 ${fmt(m.eventLoopDelayP99Ms, 1)} ms` : ''}\n`,
        );
      }
    }
  } finally {
    app.child.kill('SIGTERM');
    baseline.child.kill('SIGTERM');
    reactionBaseline.child.kill('SIGTERM');
  }
  const rows = summarise(scenarios, results);
  const date = new Date().toISOString();
  const file = resultsFileName(date);
  const meta = {
    date,
    machine: machine(),
    postgres: data.postgresVersion,
    articles: data.slugs.length,
    rounds,
    duration: durationSeconds,
    connections: ctx.connections,
    file,
  };
  mkdirSync(resolve(root, 'bench/results'), { recursive: true });
  writeFileSync(resolve(root, 'bench/results', file), JSON.stringify({ meta, rows }, null, 2) + '\n');
  // Formatted as the repository's `npm run check` expects, so the file can be committed as is.
  const table = await format(markdown(rows, meta), {
    ...(await resolveConfig(resolve(root, 'BENCHMARKS.md'))),
    parser: 'markdown',
  });
  writeFileSync(resolve(root, 'BENCHMARKS.md'), table);
  process.stdout.write(`\n${table}`);
  await data.drop();
}

/**
 * `--only a,b`: scenario names split on commas, where a comma inside a name ("REST article, first
 * read") stays part of it.
 */
function scenarioNames(list: string): string[] {
  const known = new Set(SCENARIOS.map((s) => s.name));
  const pieces = list.split(',');
  const names: string[] = [];
  for (let i = 0; i < pieces.length;) {
    // The longest run of pieces that names a scenario ("GraphQL article page, first read" over
    // "GraphQL article page").
    let found = 0;
    for (let j = pieces.length; j > i && !found; j--)
      if (known.has(pieces.slice(i, j).join(',').trim())) found = j;
    if (!found) throw new Error(`--only: no scenario named ${pieces[i].trim()}`);
    names.push(pieces.slice(i, found).join(',').trim());
    i = found;
  }
  return names;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number from 1: ${value}`);
  return n;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
