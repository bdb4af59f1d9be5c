import type { LatencyResult, LoadResult } from './load';

/** What every scenario gets: the servers under test and the data set's names. */
export interface BenchContext {
  /** The checkout whose built server is under test (its dist/ and package.json). */
  root: string;
  appUrl: string;
  baselineUrl: string;
  /** bench/reaction-baseline-server.ts: one plain UPDATE of the count per reaction. */
  reactionBaselineUrl: string;
  databaseUrl: string;
  editorKey: string;
  /** Published articles every rotating scenario reads (the cold reserve left out). */
  slugs: string[];
  /**
   * Published articles no scenario reads but the first-read ones, each once: a share of the data
   * set set aside at random (see bench/data.ts), taken `coldPerRun` at a time.
   */
  coldSlugs: string[];
  coldPerRun: number;
  /** The server process under test (its peak RSS is read from /proc). */
  appPid?: number;
  sectionSlugs: string[];
  /** Readers with views (clientId values). */
  clientIds: string[];
  durationSeconds: number;
  connections: number;
  /** Articles per import round (--import-articles); else by duration, see bench/scenarios/imports.ts. */
  importArticles?: number;
}

export type Measurement = Partial<LoadResult> &
  Partial<LatencyResult> & {
    /** Counting scenarios: 2xx answers the count does not show (must be 0). */
    lost?: number;
    /** Reactions: ms from a reaction's answer to its change reaching a graphql-ws subscriber. */
    subscriptionDelayMs?: number;
    /** The server's event-loop delay during the scenario (perf_hooks.monitorEventLoopDelay). */
    eventLoopDelayP99Ms?: number;
    eventLoopDelayMaxMs?: number;
    /** The same, measured just before with nothing but health checks: the machine's own noise. */
    idleEventLoopDelayP99Ms?: number;
    /** The slowest health check answered during the scenario. */
    slowestHealthCheckMs?: number;
    /** The server's peak resident memory so far (VmHWM), MiB. */
    peakRssMb?: number;
  };

/**
 * One line of the benchmark table. Adding a scenario is one file in bench/scenarios/ plus a line
 * in bench/scenarios/index.ts. `baseline` names the scenario this one's req/s is divided by.
 */
export interface Scenario {
  name: string;
  description: string;
  baseline?: string;
  run(ctx: BenchContext): Promise<Measurement>;
  /**
   * Unmeasured, before the first round (caches, JIT, connection pools) and again before each
   * later round. Without it the scenario runs once for a few seconds before the first round.
   * Reads rotating over every slug read each slug once.
   */
  warmUp?(ctx: BenchContext): Promise<unknown>;
}

/** Cycles through a list forever: each call gives the next item. */
export function rotate<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}
