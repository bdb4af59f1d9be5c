import { createClient, type Client } from 'graphql-ws';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { ViewsService } from '../../src/views/views.service';
import { anArticle, published } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';

interface Change {
  articleId: string;
  type: string;
  count: number;
}

/** Subscribes to reactionsChanged; the changes arrive in `seen`. */
function subscribe(client: Client, articleId: string, seen: Change[], errors: unknown[]): () => void {
  return client.subscribe<{ reactionsChanged: Change }>(
    {
      query: `subscription($a: ID!) { reactionsChanged(articleId: $a) { articleId type count } }`,
      variables: { a: articleId },
    },
    {
      next: (m) => {
        if (m.data) seen.push(m.data.reactionsChanged);
        if (m.errors) errors.push(...m.errors);
      },
      error: (err) => errors.push(err),
      complete: () => undefined,
    },
  );
}

async function until<T>(what: string, read: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Live counts and views', () => {
  let t: TestApp;
  let ws: Client;
  beforeAll(async () => {
    t = await startTestApp();
    ws = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
    });
  });
  afterAll(async () => {
    await ws.dispose();
    await t.close();
  });

  it('a GraphQL subscriber sees each count change caused by REST reactions, in order', async () => {
    const a = await anArticle(t, published());
    const other = await anArticle(t, published());
    const seen: Change[] = [];
    const errors: unknown[] = [];
    const stop = subscribe(ws, a.id, seen, errors);
    try {
      // The subscription is live once a change reaches it.
      const warmUp: Promise<{ body: Change }>[] = [];
      await until('the subscription', () => {
        if (errors.length) throw new Error(JSON.stringify(errors));
        if (seen.length) return true;
        warmUp.push(t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' }));
        return undefined;
      });
      const last = Math.max(...(await Promise.all(warmUp)).map((r) => r.body.count));
      await until('the warm-up changes', () => (seen.some((c) => c.count === last) ? true : undefined));
      const base = (await t.anonymous.get(`/api/v1/articles/${a.slug}/reactions`)).body.reactions[0].count;
      seen.length = 0;
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) {
        answers.push(
          (
            await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
              type: 'veryGood',
              clientId: `c${i}`,
            })
          ).body.count,
        );
        // A change on another article does not reach this subscriber.
        await t.anonymous.post(`/api/v1/articles/${other.slug}/reactions`, { type: 'veryGood' });
      }
      const withdrawn = await t.anonymous.delete(`/api/v1/articles/${a.slug}/reactions/veryGood?clientId=c0`);
      expect(answers).toEqual([base + 1, base + 2, base + 3, base + 4, base + 5]);
      expect(withdrawn.body.count).toBe(base + 4);
      await until('six changes', () => (seen.length >= 6 ? true : undefined));
      expect(seen).toEqual(
        [...answers, base + 4].map((count) => ({ articleId: a.id, type: 'veryGood', count })),
      );
      expect(errors).toEqual([]);
    } finally {
      stop();
    }
  });

  it('a subscription to a draft is refused', async () => {
    const draft = await anArticle(t);
    const errors: unknown[] = [];
    subscribe(ws, draft.id, [], errors);
    const [err] = await until('the refusal', () => (errors.length ? errors : undefined));
    expect(JSON.stringify(err)).toContain('NOT_FOUND');
  });

  it('views count per article and hour, in viewCount, and per client', async () => {
    const a = await anArticle(t, published());
    for (let i = 0; i < 3; i++)
      expect((await t.anonymous.post(`/api/v1/articles/${a.slug}/views`, {})).status).toBe(202);
    expect((await t.anonymous.post(`/api/v1/articles/${a.id}/views`, { clientId: 'reader-1' })).status).toBe(
      202,
    );
    const gql = await t.anonymous.graphql(
      `mutation($a: ID!) { recordView(articleId: $a, clientId: "reader-2") }`,
      { a: a.id },
    );
    expect(gql.data).toEqual({ recordView: true });
    await t.dateline.app.get(ViewsService).flush();

    expect((await t.anonymous.get(`/api/v1/articles/${a.slug}`)).body.viewCount).toBe(5);
    const db = t.dateline.app.get(DataSource);
    const hourly = await db.query(
      `SELECT hour, views::int AS views FROM article_views_hourly WHERE article_id = $1`,
      [a.id],
    );
    expect(hourly).toHaveLength(1);
    expect(hourly[0].views).toBe(5);
    expect(new Date(hourly[0].hour).getTime() % 3_600_000).toBe(0);
    const clients = await db.query(
      `SELECT encode(client_hash, 'hex') AS h FROM client_views WHERE article_id = $1`,
      [a.id],
    );
    expect(clients).toHaveLength(2);
    expect(clients.every((c: { h: string }) => c.h.length === 64)).toBe(true);
    const raw = await db.query(
      `SELECT 1 FROM client_views WHERE article_id = $1 AND client_hash = convert_to('reader-1', 'UTF8')`,
      [a.id],
    );
    expect(raw).toHaveLength(0);
  });

  it('reactions count in the hourly table; a withdrawal takes one off; client ids are stored hashed', async () => {
    const a = await anArticle(t, published());
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, { type: 'veryGood' });
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
      type: 'veryGood',
      clientId: 'reader-1',
    });
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
      type: 'veryGood',
      clientId: 'reader-1',
    });
    await t.anonymous.post(`/api/v1/articles/${a.slug}/reactions`, {
      type: 'veryGood',
      clientId: 'reader-2',
    });
    await t.anonymous.delete(`/api/v1/articles/${a.slug}/reactions/veryGood?clientId=reader-2`);
    const db = t.dateline.app.get(DataSource);
    const [hourly] = await db.query(
      `SELECT sum(reactions)::int AS n FROM article_reactions_hourly WHERE article_id = $1`,
      [a.id],
    );
    expect(hourly.n).toBe(2);
    const clients = await db.query(
      `SELECT octet_length(client_hash) AS len FROM reaction_clients WHERE article_id = $1`,
      [a.id],
    );
    expect(clients).toEqual([{ len: 32 }]);
  });

  it('views still in the buffer are written on graceful shutdown', async () => {
    const a = await anArticle(t, published());
    const second = await startTestApp();
    try {
      for (let i = 0; i < 4; i++)
        expect((await second.anonymous.post(`/api/v1/articles/${a.slug}/views`, {})).status).toBe(202);
    } finally {
      await second.close();
    }
    expect((await t.anonymous.get(`/api/v1/articles/${a.slug}`)).body.viewCount).toBe(4);
  });
});
