import { Client } from 'pg';
import { load } from '../load';
import type { BenchContext, Measurement, Scenario } from '../scenario';

/** Stories the update scenario edits: its own drafts, so no read scenario's cache is disturbed. */
const EDITED_ARTICLES = 500;
const CONNECTIONS = 50;

interface Edited {
  id: string;
  version: number;
}

/** By server (a --compare run drives two). */
const edited = new Map<string, Promise<Edited[]>>();

/**
 * The stored versions, read again before each run: a PATCH set up as a run ended may never have
 * been sent.
 */
async function resync(ctx: BenchContext, articles: Edited[]): Promise<void> {
  const db = new Client({ connectionString: ctx.databaseUrl });
  await db.connect();
  try {
    // A server from before versions existed (--compare with an older ref) has none to read.
    const has = await db.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'articles' AND column_name = 'version'`,
    );
    if (!has.rowCount) return;
    const r = await db.query<{ id: string; version: number }>(
      `SELECT id, version FROM articles WHERE id = ANY($1::uuid[])`,
      [articles.map((a) => a.id)],
    );
    const stored = new Map(r.rows.map((row) => [row.id, row.version]));
    for (const a of articles) a.version = stored.get(a.id) ?? a.version;
  } finally {
    await db.end();
  }
}

/** Made once per server (the first warm-up), then reused by every round. */
async function editedArticles(ctx: BenchContext): Promise<Edited[]> {
  const made: Edited[] = [];
  for (let i = 0; i < EDITED_ARTICLES; i++) {
    const res = await fetch(`${ctx.appUrl}/api/v1/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.editorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Bench desk story ${i} ${Date.now()}`,
        bodyText: 'A story the bench edits.\n\nIt stays a draft.',
      }),
    });
    if (res.status !== 201) throw new Error(`bench article not created: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as Edited;
    made.push({ id: body.id, version: body.version });
  }
  return made;
}

/**
 * PATCHes rotating over the scenario's drafts, each with the If-Match of the version the previous
 * PATCH of that story made (the rotation is ten times longer than the connections, so that one
 * has been answered). A 412 would show as non-2xx: the count must stay 0.
 */
async function updates(ctx: BenchContext, durationSeconds: number): Promise<Measurement> {
  if (!edited.has(ctx.appUrl)) edited.set(ctx.appUrl, editedArticles(ctx));
  const articles = await (edited.get(ctx.appUrl) as Promise<Edited[]>);
  await resync(ctx, articles);
  let n = 0;
  return load({
    url: ctx.appUrl,
    connections: CONNECTIONS,
    durationSeconds,
    next: () => {
      const a = articles[n % articles.length];
      n += 1;
      const expected = a.version;
      a.version += 1;
      return {
        path: `/api/v1/articles/${a.id}`,
        method: 'PATCH',
        body: JSON.stringify({ subtitle: `Update ${n}` }),
        headers: {
          authorization: `Bearer ${ctx.editorKey}`,
          'content-type': 'application/json',
          'if-match': `"${expected}"`,
        },
      };
    },
  });
}

export const articleUpdate: Scenario = {
  name: 'article update',
  description: `PATCH /api/v1/articles/{id} {"subtitle"} with If-Match (the version the previous PATCH made), ${CONNECTIONS} connections, rotating over ${EDITED_ARTICLES} drafts of its own: version check, lease check, revision, webhook outbox and audit row in one transaction. non-2xx must be 0 (a 412 would mean a lost version).`,
  run: (ctx) => updates(ctx, ctx.durationSeconds),
  warmUp: (ctx) => updates(ctx, 2),
};
