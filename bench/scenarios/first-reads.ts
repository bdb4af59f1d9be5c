import { readFileSync } from 'node:fs';
import { FIRST_READ_WARM_UP } from '../data';
import { load, type LoadOptions } from '../load';
import { rotate, type BenchContext, type Measurement, type Scenario } from '../scenario';
import { articlePage, baselineArticleBySlug } from './read-path';

/**
 * Where each server is in the cold reserve (ctx.coldSlugs): every first read takes slugs nobody
 * has read on that server, so the server has nothing for them in any cache.
 */
const taken = new Map<string, number>();

function takeCold(ctx: BenchContext, n: number): string[] {
  const at = taken.get(ctx.appUrl) ?? 0;
  const slugs = ctx.coldSlugs.slice(at, at + n);
  if (slugs.length < n)
    throw new Error(`the cold reserve is used up (${ctx.coldSlugs.length} articles): use fewer rounds`);
  taken.set(ctx.appUrl, at + n);
  return slugs;
}

function firstReads(
  ctx: BenchContext,
  count: number,
  request: (slug: string) => ReturnType<LoadOptions['next']>,
): Promise<Measurement> {
  const slugs = takeCold(ctx, count);
  const next = rotate(slugs);
  return load({
    url: ctx.appUrl,
    connections: ctx.connections,
    durationSeconds: ctx.durationSeconds,
    amount: slugs.length,
    next: () => request(next()),
  });
}

export const restArticleFirstRead: Scenario = {
  name: 'REST article, first read',
  description:
    'GET /api/v1/articles/{slug} of articles no request has read before, each once: one published article in five is set aside for the first reads and no other scenario reads it; each round reads the next share of it.',
  baseline: baselineArticleBySlug.name,
  warmUp: (ctx) => firstReads(ctx, FIRST_READ_WARM_UP, (slug) => ({ path: `/api/v1/articles/${slug}` })),
  run: (ctx) => firstReads(ctx, ctx.coldPerRun, (slug) => ({ path: `/api/v1/articles/${slug}` })),
};

export const graphqlArticlePageFirstRead: Scenario = {
  name: 'GraphQL article page, first read',
  description:
    'The GraphQL article page (as "GraphQL article page": related(5) and recommendations(5), anonymous) of articles no request has read before, each once.',
  baseline: baselineArticleBySlug.name,
  warmUp: (ctx) => firstReads(ctx, FIRST_READ_WARM_UP, articlePage),
  run: (ctx) => firstReads(ctx, ctx.coldPerRun, articlePage),
};

/** The server's peak resident set so far (Linux), MiB. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const CRAWLER_CONNECTIONS = 8;
/**
 * BENCH_CRAWL_PAGES: stop the walk after this many pages (a slow machine at 100,000 articles);
 * unset, every article outside the reserve is read.
 */
const CRAWL_PAGES = Number(process.env.BENCH_CRAWL_PAGES ?? 0) || 0;

export const crawler: Scenario = {
  name: 'crawler',
  description: `A crawler walking the archive: GET /api/v1/articles/{slug} of every article outside the first-read reserve (or the first BENCH_CRAWL_PAGES of them), once each, ${CRAWLER_CONNECTIONS} connections; req/s is pages/s. Reports the server's peak RSS (VmHWM) after the walk: the read cache is bounded in entries and bytes.`,
  warmUp: (ctx) => {
    const next = rotate(ctx.slugs);
    return load({
      url: ctx.appUrl,
      connections: CRAWLER_CONNECTIONS,
      durationSeconds: ctx.durationSeconds,
      amount: Math.min(200, ctx.slugs.length),
      next: () => ({ path: `/api/v1/articles/${next()}` }),
    });
  },
  run: async (ctx) => {
    const next = rotate(ctx.slugs);
    const result = await load({
      url: ctx.appUrl,
      connections: CRAWLER_CONNECTIONS,
      durationSeconds: ctx.durationSeconds,
      amount: CRAWL_PAGES ? Math.min(CRAWL_PAGES, ctx.slugs.length) : ctx.slugs.length,
      next: () => ({ path: `/api/v1/articles/${next()}` }),
    });
    return { ...result, peakRssMb: peakRssMb(ctx.appPid) };
  },
};
