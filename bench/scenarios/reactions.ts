import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { load } from '../load';
import type { BenchContext, Measurement, Scenario } from '../scenario';

/** One hot article, this many readers pressing at once (the goal is stated for 100). */
const HOT_CONNECTIONS = 100;

async function articleId(ctx: BenchContext, slug: string): Promise<string> {
  const res = await fetch(`${ctx.appUrl}/api/v1/articles/${slug}`);
  if (res.status !== 200) throw new Error(`article ${slug}: ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

async function countOf(ctx: BenchContext, id: string): Promise<number> {
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    const r = await db.query(
      `SELECT coalesce(sum(count), 0)::int AS n FROM article_reactions WHERE article_id = $1 AND type = 'veryGood'`,
      [id],
    );
    return (r.rows[0] as { n: number }).n;
  } finally {
    await db.end();
  }
}

/**
 * Hammers one article's counter and checks afterwards that the count grew by at least the 2xx
 * answers (requests cut off by the end of the run may still have counted, so it can grow more).
 */
async function hammer(
  ctx: BenchContext,
  url: string,
  id: string,
  path: string,
  body?: string,
): Promise<Measurement> {
  const before = await countOf(ctx, id);
  const result = await load({
    url,
    connections: HOT_CONNECTIONS,
    durationSeconds: ctx.durationSeconds,
    next: () => ({
      path,
      method: 'POST',
      body,
      headers: body ? { 'content-type': 'application/json' } : undefined,
    }),
  });
  await new Promise((r) => setTimeout(r, 500));
  const grown = (await countOf(ctx, id)) - before;
  return { ...result, lost: Math.max(0, result.ok - grown) };
}

/** Median ms from sending a REST reaction to its change reaching a graphql-ws subscriber. */
async function subscriptionDelay(ctx: BenchContext, slug: string, id: string): Promise<number> {
  const client = createClient({
    url: `${ctx.appUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const arrived = new Map<number, number>();
  const stop = client.subscribe<{ reactionsChanged: { count: number } }>(
    { query: `subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }`, variables: { a: id } },
    {
      next: (m) => void (m.data && arrived.set(m.data.reactionsChanged.count, performance.now())),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  try {
    await new Promise((r) => setTimeout(r, 300)); // the subscription starts
    const delays: number[] = [];
    for (let i = 0; i < 50; i++) {
      const sent = performance.now();
      const res = await fetch(`${ctx.appUrl}/api/v1/articles/${slug}/reactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"veryGood"}',
      });
      const { count } = (await res.json()) as { count: number };
      for (let waited = 0; !arrived.has(count) && waited < 2000; waited += 1) {
        await new Promise((r) => setTimeout(r, 1));
      }
      const at = arrived.get(count);
      if (at !== undefined) delays.push(at - sent);
    }
    delays.sort((a, b) => a - b);
    return delays[Math.floor(delays.length / 2)] ?? Number.NaN;
  } finally {
    stop();
    await client.dispose();
  }
}

export const baselineReaction: Scenario = {
  name: 'baseline: reaction by plain UPDATE',
  description: `raw node:http + pg: one \`UPDATE … SET count = count + 1 RETURNING count\` per request on ONE article, ${HOT_CONNECTIONS} connections (every request waits for the row lock).`,
  run: async (ctx) => {
    const id = await articleId(ctx, ctx.slugs[1]);
    return hammer(ctx, ctx.reactionBaselineUrl, id, `/articles/${id}/reactions`);
  },
};

export const restReactionHot: Scenario = {
  name: 'REST reaction on one hot article',
  description: `POST /api/v1/articles/{slug}/reactions {"type":"veryGood"} (no clientId) on ONE article, ${HOT_CONNECTIONS} connections; each answer after its commit. "lost" checks the count grew by the 2xx answers; the subscription delay is the median from a POST to its change reaching a graphql-ws subscriber, measured after the load.`,
  baseline: baselineReaction.name,
  run: async (ctx) => {
    const slug = ctx.slugs[0];
    const id = await articleId(ctx, slug);
    const result = await hammer(
      ctx,
      ctx.appUrl,
      id,
      `/api/v1/articles/${slug}/reactions`,
      '{"type":"veryGood"}',
    );
    return { ...result, subscriptionDelayMs: await subscriptionDelay(ctx, slug, id) };
  },
};
