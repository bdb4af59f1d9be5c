/**
 * GraphQL over WebSocket (graphql-ws on /graphql) hardening: the socket must refuse what HTTP
 * refuses. Sources: OWASP API4:2023 Unrestricted Resource Consumption (depth, aliases, cost,
 * document and message size, subscriptions per connection, connections per client), OWASP
 * API8:2023 Security Misconfiguration (introspection and suggestions in production), OWASP
 * API5:2023 Broken Function Level Authorization (each operation authorised as over HTTP), and
 * ARCHITECTURE.md's "every transport, same rules". The client is the real graphql-ws client on
 * the `ws` WebSocket, against a production-mode server.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  MAX_WS_CONNECTIONS_PER_IP,
  MAX_WS_MESSAGE_BYTES,
} from '../../src/common/graphql/limits';
import { WsConnections } from '../../src/common/graphql/ws-connections';
import { anArticle, published } from '../support/article-factory';
import { expectNoLeak } from '../support/no-leak';
import { startTestApp, unique, type TestApp } from '../support/test-app';

interface WsError {
  message: string;
  extensions?: { code?: string };
}

/** What one operation over the socket came to: its first result, its errors, or a closed socket. */
interface Outcome {
  data?: unknown;
  errors?: WsError[];
  closeCode?: number;
}

/** The ws WebSocket, sending these headers with the upgrade request. */
function socketWith(headers: Record<string, string>): unknown {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

function wsClient(
  t: TestApp,
  options: { key?: string; params?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Client {
  return createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: socketWith(options.headers ?? {}),
    connectionParams:
      options.params ?? (options.key ? { authorization: `Bearer ${options.key}` } : undefined),
    lazy: true,
    retryAttempts: 0,
  });
}

/** Runs one operation and gives its first answer (or refusal); a live subscription is then ended. */
function once(client: Client, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    let stop = () => undefined as void;
    stop = client.subscribe(
      { query, variables },
      {
        next: (m) => {
          resolve({ data: m.data ?? undefined, errors: m.errors as WsError[] | undefined });
          stop();
        },
        error: (err) => {
          if (Array.isArray(err)) resolve({ errors: err as WsError[] });
          else resolve({ closeCode: (err as { code?: number }).code });
        },
        complete: () => resolve({}),
      },
    );
  });
}

/** A subscription kept open; its results arrive in `seen`. */
function follow(client: Client, articleId: string) {
  const seen: Outcome[] = [];
  const stop = client.subscribe(
    {
      query: 'subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }',
      variables: { a: articleId },
    },
    {
      next: (m) => seen.push({ data: m.data ?? undefined, errors: m.errors as WsError[] | undefined }),
      error: (err) => seen.push(Array.isArray(err) ? { errors: err as WsError[] } : { closeCode: -1 }),
      complete: () => undefined,
    },
  );
  return { seen, stop };
}

async function until<T>(what: string, read: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reacts to the article until `done` says every subscriber has heard of it (subscribing is asynchronous). */
async function reactUntil(t: TestApp, slug: string, what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    expect((await t.anonymous.post(`/api/v1/articles/${slug}/reactions`, { type: 'veryGood' })).status).toBe(
      200,
    );
    for (let i = 0; i < 10 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
    if (done()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

const codesAndMessages = (errors: WsError[] | undefined) =>
  (errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message }));

function nested(depth: number, leaf = 'slug'): string {
  let s = leaf;
  for (let i = 0; i < depth; i++) s = `children { ${s} }`;
  return s;
}

describe('Hardening: GraphQL over WebSocket (production mode)', () => {
  let t: TestApp;
  let anonymous: Client;
  let editor: Client;
  beforeAll(async () => {
    t = await startTestApp({ nodeEnv: 'production', graphqlIntrospection: false });
    anonymous = wsClient(t);
    editor = wsClient(t, { key: t.editorKey });
  });
  afterAll(async () => {
    await anonymous.dispose();
    await editor.dispose();
    await t.close();
  });

  const sectionExists = async (slug: string) =>
    (await t.anonymous.get(`/api/v1/sections/${slug}`)).status === 200;

  const attacks: [string, string][] = [
    ['introspection', '{ __schema { queryType { name } } }'],
    ['a field suggestion', '{ sectionz { slug } }'],
    ['depth 14', `{ sections { ${nested(13)} } }`],
    [
      '30 aliases of articles(first: 100)',
      `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: articles(first: 100) { totalCount }`).join(' ')} }`,
    ],
    [
      'a cost over 10,000',
      '{ articles(first: 100) { edges { node { slug related(first: 100) { reason } } } } }',
    ],
    ['a page of 101', '{ articles(first: 101) { totalCount } }'],
    ['a parse error', '{ sections { slug }'],
  ];

  it.each(attacks)('refuses %s exactly as HTTP does, for anonymous and editor', async (_name, query) => {
    const overHttp = await t.anonymous.graphql(query);
    expect(overHttp.status).toBe(400);
    expect(overHttp.errors?.length).toBeGreaterThan(0);
    for (const client of [anonymous, editor]) {
      const overWs = await once(client, query);
      expect(overWs.data).toBeUndefined();
      expect(codesAndMessages(overWs.errors)).toEqual(codesAndMessages(overHttp.errors));
      expectNoLeak(JSON.stringify(overWs));
    }
    const typo = await once(anonymous, '{ sectionz { slug } }');
    expect(typo.errors?.[0].message).not.toMatch(/Did you mean|sections/);
  });

  it('refuses queries and mutations over the socket (BAD_USER_INPUT) and runs none of them', async () => {
    const slug = unique('ws-mutation');
    const mutation = await once(
      editor,
      `mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`,
    );
    expect(codesAndMessages(mutation.errors)).toEqual([
      {
        code: 'BAD_USER_INPUT',
        message: 'Only subscriptions are served over WebSocket; send this mutation to /graphql over HTTP.',
      },
    ]);
    expect(await sectionExists(slug)).toBe(false);
    const query = await once(anonymous, '{ sections { slug } }');
    expect(query.data).toBeUndefined();
    expect(query.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a document over 100 KiB (PAYLOAD_TOO_LARGE) and closes on a message over 1 MiB (1009)', async () => {
    const slug = unique('ws-huge');
    const mutation = `mutation { createSection(input: { slug: "${slug}", name: "X" }) { slug } }`;
    const big = await once(editor, `# ${'x'.repeat(200 * 1024)}\n${mutation}`);
    expect(codesAndMessages(big.errors)).toEqual([
      { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('use a persisted query') },
    ]);
    // 5 MiB: ws stops reading at MAX_WS_MESSAGE_BYTES and closes with 1009 (Message Too Big).
    const huge = await once(
      wsClient(t, { key: t.editorKey }),
      `# ${'x'.repeat(5 * MAX_WS_MESSAGE_BYTES)}\n${mutation}`,
    );
    expect(huge).toEqual({ closeCode: 1009 });
    expect(await sectionExists(slug)).toBe(false);
  });

  it('serves subscriptions to anonymous and editor; the key is checked per operation as over HTTP', async () => {
    const a = await anArticle(t, published());
    const viaHeader = wsClient(t, { headers: { authorization: `Bearer ${t.editorKey}` } });
    const followers = [anonymous, editor, viaHeader].map((c) => follow(c, a.id));
    try {
      await reactUntil(t, a.slug, 'every subscriber', () =>
        followers.every((f) => f.seen.some((s) => s.data)),
      );
      for (const f of followers) expect(f.seen.flatMap((s) => s.errors ?? [])).toEqual([]);
    } finally {
      followers.forEach((f) => f.stop());
      await viaHeader.dispose();
    }
    // A key that is not valid is refused as over HTTP, in connection_init or in the header.
    const sub = `subscription { reactionsChanged(articleId: "${a.id}") { count } }`;
    const overHttp = await t.anonymous.request(
      'POST',
      '/graphql',
      { query: `{ article(id: "${a.id}") { slug } }` },
      { authorization: 'Bearer dl_nope' },
    );
    expect(overHttp.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    for (const bad of [
      wsClient(t, { key: 'dl_nope' }),
      wsClient(t, { headers: { authorization: 'Bearer dl_nope' } }),
    ]) {
      const refused = await once(bad, sub);
      expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      await bad.dispose();
    }
    // Checked for each operation: a key revoked while its connection stays open stops working.
    const made = await t.admin.post('/api/v1/api-keys', { name: unique('ws-key'), role: 'editor' });
    expect(made.status).toBe(201);
    const keyed = wsClient(t, { key: made.body.key });
    try {
      const live = follow(keyed, a.id);
      await reactUntil(t, a.slug, 'the keyed subscriber', () => live.seen.some((s) => s.data));
      live.stop();
      expect((await t.admin.delete(`/api/v1/api-keys/${made.body.id}`)).status).toBe(204);
      expect((await once(keyed, sub)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await keyed.dispose();
    }
    // A key that is not even a string cannot be checked: the connection is refused (4403).
    const odd = wsClient(t, { params: { authorization: 42 } });
    expect(await once(odd, sub)).toEqual({ closeCode: 4403 });
    await odd.dispose();
  });

  it('holds messages to the JSON nesting limit of HTTP bodies: a deep subscribe is refused, a deep ping closes (4400)', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const received: { id?: string; type: string; payload?: unknown }[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer) => received.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await until('the acknowledgement', () => received.find((m) => m.type === 'connection_ack'));
    const sub = 'subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }';
    ws.send(
      `{"id":"deep","type":"subscribe","payload":{"query":${JSON.stringify(sub)},"variables":{"a":${deep}}}}`,
    );
    const refused = await until('the refusal', () => received.find((m) => m.id === 'deep'));
    expect(refused.type).toBe('error');
    expect((refused.payload as WsError[])[0].extensions?.code).toBe('BAD_USER_INPUT');
    // graphql-ws would echo this ping's payload, and JSON.stringify overflows on it.
    ws.send(`{"type":"ping","payload":${deep}}`);
    expect(await closed).toBe(4400);
  });

  it("a message only a server sends (connection_ack) is the client's mistake: 4400, not 4500", async () => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    ws.send(JSON.stringify({ type: 'connection_ack' }));
    expect(await closed).toBe(4400);
  });

  it(`holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions on one connection`, async () => {
    const a = await anArticle(t, published());
    const client = wsClient(t);
    try {
      const open = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, () => follow(client, a.id));
      const refused = await once(client, `subscription { reactionsChanged(articleId: "${a.id}") { count } }`);
      expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      // The ones held are live; once one ends, another may start.
      await reactUntil(t, a.slug, 'every open subscription', () =>
        open.every((f) => f.seen.some((s) => s.data)),
      );
      open[0].stop();
      const next = follow(client, a.id);
      await reactUntil(t, a.slug, 'the next subscription', () => next.seen.some((s) => s.data));
      expect(next.seen.flatMap((s) => s.errors ?? [])).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

describe('Hardening: GraphQL over WebSocket, the GraphQL cost budget', () => {
  it('a subscription spends the same per-client cost budget as an HTTP operation', async () => {
    // reactionsChanged { count } costs 2: the budget holds two such subscriptions.
    const t = await startTestApp({ rateLimitGraphqlCostPerMinute: 4 });
    const client = wsClient(t);
    try {
      const a = await anArticle(t, published());
      const sub = `subscription { reactionsChanged(articleId: "${a.id}") { count } }`;
      const held = [follow(client, a.id), follow(client, a.id)];
      await reactUntil(t, a.slug, 'both subscriptions', () => held.every((f) => f.seen.some((x) => x.data)));
      const refused = await once(client, sub);
      expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      // The same client over HTTP finds the budget spent.
      const overHttp = await t.anonymous.graphql('{ sections { slug } }');
      expect(overHttp.status).toBe(429);
      expect(overHttp.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await client.dispose();
      await t.close();
    }
  });
});

/** Opens one graphql-ws connection now; resolves once it is acknowledged, or with its close code. */
function connect(
  t: TestApp,
  headers: Record<string, string>,
): Promise<{ client: Client; closeCode?: number }> {
  return new Promise((resolve) => {
    const client = createClient({
      url: `${t.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: socketWith(headers),
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      on: {
        connected: () => resolve({ client }),
        closed: (event) => resolve({ client, closeCode: (event as { code: number }).code }),
      },
    });
  });
}

describe('Hardening: GraphQL over WebSocket, connections per client address', () => {
  const clients: Client[] = [];
  const open = async (t: TestApp, headers: Record<string, string>) => {
    const c = await connect(t, headers);
    clients.push(c.client);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(async (c) => c.dispose()));
  });

  it(`TRUST_PROXY=false: X-Forwarded-For is ignored, ${MAX_WS_CONNECTIONS_PER_IP} per peer address`, async () => {
    const t = await startTestApp({ trustProxy: false });
    try {
      for (let i = 0; i < MAX_WS_CONNECTIONS_PER_IP; i++)
        expect((await open(t, { 'x-forwarded-for': `203.0.113.${i % 250}` })).closeCode).toBeUndefined();
      expect((await open(t, { 'x-forwarded-for': '198.51.100.1' })).closeCode).toBe(4429);
      // A closed connection gives its place back.
      await clients[0].dispose();
      await until('the freed place', () =>
        t.dateline.app.get(WsConnections).size < MAX_WS_CONNECTIONS_PER_IP ? true : undefined,
      );
      expect((await open(t, {})).closeCode).toBeUndefined();
    } finally {
      await Promise.all(clients.splice(0).map(async (c) => c.dispose()));
      await t.close();
    }
  });

  it(`TRUST_PROXY=1 (one proxy): the forwarded client address counts, as for HTTP`, async () => {
    const t = await startTestApp({ trustProxy: 1 });
    try {
      for (let i = 0; i < MAX_WS_CONNECTIONS_PER_IP; i++)
        expect((await open(t, { 'x-forwarded-for': '203.0.113.7' })).closeCode).toBeUndefined();
      expect((await open(t, { 'x-forwarded-for': '203.0.113.7' })).closeCode).toBe(4429);
      expect((await open(t, { 'x-forwarded-for': '203.0.113.8' })).closeCode).toBeUndefined();
    } finally {
      await Promise.all(clients.splice(0).map(async (c) => c.dispose()));
      await t.close();
    }
  });
});
