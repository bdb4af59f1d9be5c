/**
 * `npm run bench -- --compare <git ref>`: the working tree against another version of Dateline,
 * measured in one run on one machine, so that a change is judged by a ratio rather than by
 * numbers from another day.
 *
 * The ref is extracted with `git archive` into a directory under the system's temporary directory
 * (kept, keyed by commit, so a second comparison with the same ref starts at once), gets its
 * dependencies (a hard-linked copy of the working tree's node_modules when package-lock.json is
 * the same, else `npm ci`) and is built with its own `npm run build`. Both servers run at once,
 * each on its own copy of the same generated database: the ref's copy is first taken back down
 * to the ref's migrations (their `down`), so each server sees the schema it was written for.
 * Each scenario then runs on both, alternately, the side that goes first swapping every round.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/config';
import { dataSourceOptions } from '../src/database/data-source';
import { coldPerRun, prepareDatabase } from './data';
import { median } from './load';
import { appServerEnv, runCommand, startProcess, waitReady } from './processes';
import { fmt, machine, resultsFileName } from './report';
import type { BenchContext, Measurement, Scenario } from './scenario';
import { SCENARIOS } from './scenarios';

/** A scenario whose median falls below this share of the ref's is flagged. */
const FLAG_BELOW = 0.9;

export interface CompareOptions {
  ref: string;
  /** The working tree (built by `npm run bench` before this runs). */
  root: string;
  scenarios: Scenario[];
  articles: number;
  views?: number;
  rounds: number;
  durationSeconds: number;
  warmUpSeconds: number;
  connections: number;
  importArticles?: number;
}

interface RefBuild {
  commit: string;
  dir: string;
  label: string;
}

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** `git archive <commit> | tar -x -C dir`, without a shell. */
async function extract(root: string, commit: string, dir: string): Promise<void> {
  const archive = spawn('git', ['archive', '--format=tar', commit], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const untar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'inherit', 'inherit'] });
  archive.stdout.pipe(untar.stdin);
  const [[archived], [untarred]] = (await Promise.all([once(archive, 'close'), once(untar, 'close')])) as [
    [number | null],
    [number | null],
  ];
  if (archived !== 0 || untarred !== 0) throw new Error(`could not extract ${commit} into ${dir}`);
}

/**
 * The ref's dependencies. With the same package-lock.json the working tree's node_modules is the
 * right tree: a hard-linked copy costs no space and no network (a symbolic link where hard links
 * cannot be made, across file systems). Otherwise the ref installs its own.
 */
async function install(root: string, dir: string): Promise<void> {
  const lock = (d: string) => readFileSync(join(d, 'package-lock.json'), 'utf8');
  if (existsSync(join(dir, 'package-lock.json')) && lock(root) === lock(dir)) {
    try {
      await runCommand('cp', ['-al', join(root, 'node_modules'), join(dir, 'node_modules')], dir);
      return;
    } catch {
      rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
      return;
    }
  }
  process.stdout.write('compare: package-lock.json differs from the working tree: npm ci\n');
  await runCommand('npm', ['ci', '--no-audit', '--no-fund'], dir);
}

/** Extracts, installs and builds the ref, or reuses an earlier build of the same commit. */
async function buildRef(ref: string, root: string): Promise<RefBuild> {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--compare: ${ref} is not a commit, branch or tag of this repository`);
  }
  const label = `${ref} (${commit.slice(0, 7)})`;
  const dir = join(tmpdir(), `dateline-bench-ref-${commit}`);
  const marker = join(dir, '.bench-built');
  if (existsSync(marker)) {
    process.stdout.write(`compare: ${label} already built in ${dir}\n`);
    return { commit, dir, label };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`compare: building ${label} in ${dir} …\n`);
  const started = Date.now();
  await extract(root, commit, dir);
  await install(root, dir);
  await runCommand('npm', ['run', 'build', '--silent'], dir);
  writeFileSync(marker, `${commit}\n`);
  process.stdout.write(`compare: ${label} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return { commit, dir, label };
}

/**
 * Takes a database migrated by the working tree back to the ref's migrations: undoes, newest
 * first, each applied migration the ref does not have. Migrations the ref has and the working
 * tree lacks are applied by the ref's server when it starts. Gives back the undone names.
 */
async function alignSchema(databaseUrl: string, refDir: string): Promise<string[]> {
  const migrationsDir = join(refDir, 'src/database/migrations');
  if (!existsSync(migrationsDir)) {
    process.stdout.write(`compare: the ref has no ${migrationsDir}; its server gets the current schema\n`);
    return [];
  }
  const known = new Set(
    readdirSync(migrationsDir)
      .map((f) => /^(\d+)-.+\.ts$/.exec(f)?.[1])
      .filter((t): t is string => t !== undefined)
      .map(Number),
  );
  const config = { ...loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }), databaseUrl };
  const db = new DataSource(dataSourceOptions(config));
  await db.initialize();
  const undone: string[] = [];
  try {
    for (;;) {
      const [last] = await db.query<{ name: string; timestamp: string }[]>(
        `SELECT name, timestamp FROM migrations ORDER BY id DESC LIMIT 1`,
      );
      if (!last || known.has(Number(last.timestamp))) break;
      await db.undoLastMigration({ transaction: 'each' });
      undone.push(last.name);
    }
  } finally {
    await db.destroy();
  }
  return undone;
}

interface Side {
  name: 'ref' | 'current';
  ctx: BenchContext;
  rounds: Map<string, Measurement[]>;
  failures: Map<string, string[]>;
}

/** Runs one scenario on one side; a failure is recorded and the comparison goes on. */
async function measure(side: Side, s: Scenario, run: () => Promise<Measurement>): Promise<void> {
  try {
    const m = await run();
    side.rounds.set(s.name, [...(side.rounds.get(s.name) ?? []), m]);
    const parts = [
      m.requestsPerSecond !== undefined ? `${fmt(m.requestsPerSecond)} req/s` : '',
      m.p50 !== undefined ? `p50 ${fmt(m.p50, 1)} ms` : '',
    ];
    process.stdout.write(`${parts.filter(Boolean).join(' ')}\n`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    side.failures.set(s.name, [...(side.failures.get(s.name) ?? []), message]);
    process.stdout.write(`FAILED: ${message}\n`);
  }
}

interface ComparedRow {
  name: string;
  /** req/s where the scenario measures throughput, else the median latency. */
  measure: 'req/s' | 'p50 ms';
  ref?: number;
  current?: number;
  /** How fast the working tree is next to the ref: req/s current ÷ ref, or p50 ref ÷ current. */
  ratio?: number;
  flagged: boolean;
  errors: { ref: number; current: number };
  failed: { ref: number; current: number };
  rounds: { ref: Measurement[]; current: Measurement[] };
}

function errorsOf(rounds: Measurement[]): number {
  return rounds.reduce(
    (n, r) => n + (r.errors ?? 0) + (r.non2xx ?? 0) + (r.failures ?? 0) + (r.lost ?? 0),
    0,
  );
}

function compare(scenarios: Scenario[], ref: Side, current: Side): ComparedRow[] {
  return scenarios.map((s) => {
    const r = ref.rounds.get(s.name) ?? [];
    const c = current.rounds.get(s.name) ?? [];
    const throughput = [...r, ...c].every((m) => m.requestsPerSecond !== undefined);
    const pick = (rounds: Measurement[]) => {
      const v = rounds
        .map((m) => (throughput ? m.requestsPerSecond : m.p50))
        .filter((x): x is number => typeof x === 'number');
      return v.length ? median(v) : undefined;
    };
    const refMedian = pick(r);
    const currentMedian = pick(c);
    let ratio: number | undefined;
    if (refMedian !== undefined && currentMedian !== undefined && refMedian > 0 && currentMedian > 0)
      ratio = throughput ? currentMedian / refMedian : refMedian / currentMedian;
    return {
      name: s.name,
      measure: throughput ? 'req/s' : 'p50 ms',
      ref: refMedian,
      current: currentMedian,
      ratio,
      flagged: ratio === undefined || ratio < FLAG_BELOW,
      errors: { ref: errorsOf(r), current: errorsOf(c) },
      failed: {
        ref: ref.failures.get(s.name)?.length ?? 0,
        current: current.failures.get(s.name)?.length ?? 0,
      },
      rounds: { ref: r, current: c },
    };
  });
}

function workingTreeLabel(root: string): string {
  const head = git(root, ['rev-parse', '--short', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  return `working tree (${head}${dirty ? ' + changes' : ''})`;
}

/** Rounded down, so that a ratio just under the threshold never reads as the threshold itself. */
function showRatio(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : `${fmt(Math.floor(ratio * 100) / 100, 2)}×`;
}

function markdown(rows: ComparedRow[], meta: Record<string, string | number>): string {
  const lines = [
    `# Bench comparison: ${meta.current} against ${meta.ref}`,
    '',
    `${meta.date}, on ${meta.machine}, PostgreSQL ${meta.postgres}. Data: ${meta.articles} generated articles, one copy per server. ${meta.rounds} rounds of ${meta.duration} s per scenario and server, ${meta.connections} connections, the servers taking turns (the one that goes first swaps every round). Medians over the rounds; × ref is how fast the working tree is next to the ref (req/s current ÷ ref; for latency, p50 ref ÷ current), flagged below ${FLAG_BELOW}×.`,
    '',
    `| scenario | measure | ${meta.ref} | working tree | × ref | errors (ref / current) |`,
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const digits = r.measure === 'req/s' ? 0 : 1;
    const ratio = showRatio(r.ratio);
    const failed =
      r.failed.ref + r.failed.current > 0 ? `, failed rounds ${r.failed.ref} / ${r.failed.current}` : '';
    lines.push(
      `| ${r.name} | ${r.measure} | ${fmt(r.ref, digits)} | ${fmt(r.current, digits)} | ${r.flagged ? `**${ratio}** ⚠` : ratio} | ${r.errors.ref} / ${r.errors.current}${failed} |`,
    );
  }
  const flagged = rows.filter((r) => r.flagged);
  lines.push(
    '',
    flagged.length === 0
      ? `Every scenario at ≥ ${FLAG_BELOW}× the ref.`
      : `Below ${FLAG_BELOW}× the ref (or not measured on both): ${flagged.map((r) => `${r.name} (${showRatio(r.ratio)})`).join(', ')}.`,
    '',
    `Raw numbers of every round: \`bench/results/${meta.file}\`.`,
    '',
  );
  return lines.join('\n');
}

export async function runComparison(o: CompareOptions): Promise<void> {
  // The baselines are node:http + pg, the same code on both sides: there is nothing to compare.
  const baselines = new Set(SCENARIOS.map((s) => s.baseline).filter(Boolean));
  const scenarios = o.scenarios.filter((s) => !baselines.has(s.name));
  if (scenarios.length === 0) throw new Error('--compare: no scenario of the server under test was chosen');

  const build = await buildRef(o.ref, o.root);
  const currentLabel = workingTreeLabel(o.root);
  const data = await prepareDatabase(o.articles, o.views);
  let refDb: Awaited<ReturnType<typeof data.clone>> | undefined;
  const servers: Awaited<ReturnType<typeof startProcess>>[] = [];
  const sides: Side[] = [];
  try {
    refDb = await data.clone('ref');
    const undone = await alignSchema(refDb.databaseUrl, build.dir);
    if (undone.length) process.stdout.write(`compare: undid ${undone.join(', ')} on the ref's copy\n`);
    const current = await startProcess(
      resolve(o.root, 'dist/main.js'),
      appServerEnv(data.databaseUrl, data.adminKey),
      o.root,
    );
    servers.push(current);
    const refServer = await startProcess(
      join(build.dir, 'dist/main.js'),
      appServerEnv(refDb.databaseUrl, data.adminKey),
      build.dir,
    );
    servers.push(refServer);
    await Promise.all([waitReady(current.url), waitReady(refServer.url)]);

    const shared = {
      baselineUrl: '',
      reactionBaselineUrl: '',
      editorKey: data.adminKey,
      slugs: data.slugs,
      coldSlugs: data.coldSlugs,
      coldPerRun: coldPerRun(data.coldSlugs.length, o.rounds),
      sectionSlugs: data.sectionSlugs,
      clientIds: data.clientIds,
      durationSeconds: o.durationSeconds,
      connections: o.connections,
      importArticles: o.importArticles,
    };
    const side = (
      name: Side['name'],
      root: string,
      appUrl: string,
      databaseUrl: string,
      appPid: number | undefined,
    ): Side => ({
      name,
      ctx: { ...shared, root, appUrl, databaseUrl, appPid },
      rounds: new Map(),
      failures: new Map(),
    });
    sides.push(
      side('ref', build.dir, refServer.url, refDb.databaseUrl, refServer.child.pid),
      side('current', o.root, current.url, data.databaseUrl, current.child.pid),
    );

    for (const s of scenarios) {
      for (const sd of sides) {
        process.stdout.write(`warm-up: ${s.name} on ${sd.name} … `);
        const started = Date.now();
        try {
          await (s.warmUp ? s.warmUp(sd.ctx) : s.run({ ...sd.ctx, durationSeconds: o.warmUpSeconds }));
          process.stdout.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
        } catch (err) {
          process.stdout.write(`FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    }
    for (let round = 0; round < o.rounds; round++) {
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      const turns = round % 2 === 0 ? sides : [...sides].reverse();
      for (const s of order) {
        for (const sd of turns) {
          if (round > 0 && s.warmUp) await s.warmUp(sd.ctx).catch(() => undefined);
          process.stdout.write(`round ${round + 1}/${o.rounds}: ${s.name} on ${sd.name} … `);
          await measure(sd, s, () => s.run(sd.ctx));
        }
      }
    }
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await refDb?.drop();
    await data.drop();
  }

  const [ref, current] = sides;
  const rows = compare(scenarios, ref, current);
  const date = new Date().toISOString();
  const file = resultsFileName(date, 'compare-');
  const meta = {
    date,
    machine: machine(),
    postgres: data.postgresVersion,
    articles: data.slugs.length,
    rounds: o.rounds,
    duration: o.durationSeconds,
    connections: o.connections,
    ref: build.label,
    refCommit: build.commit,
    current: currentLabel,
    file,
  };
  mkdirSync(resolve(o.root, 'bench/results'), { recursive: true });
  writeFileSync(resolve(o.root, 'bench/results', file), JSON.stringify({ meta, rows }, null, 2) + '\n');
  const table = await format(markdown(rows, meta), {
    ...(await resolveConfig(resolve(o.root, 'BENCHMARKS.md'))),
    parser: 'markdown',
  });
  process.stdout.write(`\n${table}`);
}
