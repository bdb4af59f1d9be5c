/**
 * Fuzz of GraphQL: documents generated from schema.gql (random selections, arguments and
 * variables from their types, well-formed, tainted or spoiled; now and then a document that does
 * not parse or validate), against a newsroom of real rows, over HTTP as anonymous, editor, admin
 * and with a bad key, and over WebSocket (graphql-ws): subscriptions with real reactions to
 * deliver, the other operations, and protocol messages that are not what graphql-ws expects.
 * Whatever a client sends, no answer is a 5xx, every error carries an `extensions.code`, none of
 * them INTERNAL_SERVER_ERROR, and no socket is closed as an internal error. Sources: OWASP
 * API8:2023 Security Misconfiguration and API4:2023 Unrestricted Resource Consumption.
 *
 * Seeded and bounded in time (see test/support/fuzz.ts): a failure prints the seed and the
 * shrunk document; `FUZZ_SEED=<seed>` replays, `FUZZ_TIME_MS` fuzzes longer.
 */
import fc from 'fast-check';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { expectNoLeak } from '../support/no-leak';
import {
  FUZZ_SEED,
  fuzzOptions,
  junkJson,
  junkString,
  liveWebhookIds,
  preview,
  RawJson,
  removeWebhooksSince,
  seedContent,
  toJsonText,
  type ContentPool,
} from '../support/fuzz';
import { DocumentGenerator, persistedHash, type GeneratedDocument } from '../support/fuzz-graphql';
import { startTestApp, type TestApp } from '../support/test-app';

type Role = 'anonymous' | 'editor' | 'admin' | 'badKey';

/** Close codes that mean the server failed, not the client: internal error, or no close frame at all. */
const FAILED_CLOSES = new Set([1006, 1011, 4500]);

/** Every error in a GraphQL answer is coded, and never as an internal error. */
function checkErrors(errors: unknown, where: string): void {
  if (errors === undefined) return;
  if (!Array.isArray(errors)) throw new Error(`${where}: errors is not a list: ${preview(errors)}`);
  for (const e of errors as { extensions?: { code?: unknown } }[]) {
    const code = e?.extensions?.code;
    if (typeof code !== 'string')
      throw new Error(`${where}: an error without extensions.code: ${preview(e)}`);
    if (code === 'INTERNAL_SERVER_ERROR') throw new Error(`${where}: INTERNAL_SERVER_ERROR: ${preview(e)}`);
  }
}

/** Variables as the graphql-ws client can send them: JSON.stringify cannot write deep nesting. */
function sendable(value: unknown): unknown {
  if (value instanceof RawJson) return value.text.length < 4000 ? JSON.parse(value.text) : 'deep';
  if (Array.isArray(value)) return value.map(sendable);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sendable(v)]));
  return value;
}

describe(`Fuzz: GraphQL documents from schema.gql over HTTP and WebSocket (seed ${FUZZ_SEED})`, () => {
  let t: TestApp;
  let pool: ContentPool;
  let docs: DocumentGenerator;
  let webhooksBefore: Set<string>;
  let wsUrl: string;
  const keys: Record<Role, string | undefined> = {
    anonymous: undefined,
    editor: undefined,
    admin: undefined,
    badKey: 'dl_not_a_key_at_all',
  };

  beforeAll(async () => {
    t = await startTestApp({ nodeEnv: 'production' });
    webhooksBefore = await liveWebhookIds(t);
    pool = await seedContent(t);
    docs = new DocumentGenerator(pool);
    keys.editor = t.editorKey;
    keys.admin = t.adminKey;
    wsUrl = `${t.url.replace('http', 'ws')}/graphql`;
  });
  afterAll(async () => {
    await closeSocket();
    await removeWebhooksSince(t, webhooksBefore);
    await t.close();
  });

  it('over HTTP, as any role: no 5xx, every error coded and none INTERNAL_SERVER_ERROR', async () => {
    const request = fc.record({
      doc: docs.documents({ query: 5, mutation: 4, subscription: 1 }),
      role: fc.constantFrom<Role>('anonymous', 'anonymous', 'editor', 'admin', 'badKey'),
      get: fc.oneof(
        { weight: 8, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      accept: fc.constantFrom(
        undefined,
        'application/graphql-response+json',
        'application/json',
        '*/*',
        'text/html',
      ),
      operationName: fc.oneof(
        { weight: 10, arbitrary: fc.constant<unknown>(undefined) },
        { weight: 1, arbitrary: fc.constant<unknown>('Page') },
        { weight: 1, arbitrary: junkJson },
      ),
      variables: fc.oneof(
        { weight: 15, arbitrary: fc.constant<unknown>(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom<unknown>('{}', [], 1, null, new RawJson('{"v0":1,"v0":"x"}')),
        },
      ),
      persisted: fc.constantFrom(
        ...([
          'none',
          'none',
          'none',
          'none',
          'none',
          'none',
          'right',
          'wrong',
          'hash only',
          'bad version',
        ] as const),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ doc, role, get, accept, operationName, variables, persisted }) => {
        const headers: Record<string, string> = {};
        if (keys[role]) headers.authorization = `Bearer ${keys[role]}`;
        if (accept) headers.accept = accept;
        const extensions =
          persisted === 'none'
            ? undefined
            : {
                persistedQuery: {
                  version: persisted === 'bad version' ? 2 : 1,
                  sha256Hash:
                    persisted === 'wrong' ? persistedHash(`${doc.query} `) : persistedHash(doc.query),
                },
              };
        const envelope: Record<string, unknown> = {
          ...(persisted === 'hash only' ? {} : { query: doc.query }),
          variables: variables === undefined ? new RawJson(doc.variablesJson) : variables,
          ...(operationName === undefined ? {} : { operationName }),
          ...(extensions ? { extensions } : {}),
        };
        let res: Response;
        if (get) {
          const search = new URLSearchParams(
            Object.entries(envelope).map(([k, v]): [string, string] => [
              k,
              typeof v === 'string' ? v : toJsonText(v),
            ]),
          );
          res = await fetch(`${t.url}/graphql?${search.toString()}`, {
            headers: { ...headers, 'apollo-require-preflight': '1' },
            signal: AbortSignal.timeout(20_000),
          });
        } else {
          res = await fetch(`${t.url}/graphql`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: toJsonText(envelope),
            signal: AbortSignal.timeout(20_000),
          });
        }
        const text = await res.text();
        const said = `${res.status}: ${preview(text, 600)}`;
        if (res.status >= 500) throw new Error(`answered ${said}`);
        if (res.status >= 400 || text.includes('"errors"')) expectNoLeak(text, `the ${res.status} answer`);
        if (!/json/.test(res.headers.get('content-type') ?? '')) {
          if (res.status >= 400) throw new Error(`an error that is not JSON: ${said}`);
          return;
        }
        const body = JSON.parse(text);
        checkErrors(body.errors, said);
      }),
      fuzzOptions(0.45),
    );
  });

  let client: Client | undefined;
  async function closeSocket(): Promise<void> {
    const old = client;
    client = undefined;
    await old?.dispose();
  }
  function socket(): Client {
    client ??= createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
    return client;
  }

  /** Runs a document over the socket; a subscription waits for its first event or a short while. */
  async function overSocket(doc: GeneratedDocument, onSubscribed?: () => Promise<void>): Promise<void> {
    const where = `over WebSocket`;
    const failure = await new Promise<Error | undefined>((resolve) => {
      let settled = false;
      let unsubscribe = () => undefined as void;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        unsubscribe();
        resolve(err);
      };
      const timer = setTimeout(() => finish(), doc.kind === 'subscription' ? 400 : 15_000);
      const check = (fn: () => void) => {
        try {
          fn();
        } catch (err) {
          finish(err as Error);
        }
      };
      unsubscribe = socket().subscribe(
        { query: doc.query, variables: sendable(JSON.parse(doc.variablesJson)) as Record<string, unknown> },
        {
          next: (result) =>
            check(() => {
              checkErrors(result.errors, `${where}, a result`);
              if (doc.kind === 'subscription') finish();
            }),
          error: (err: unknown) =>
            check(() => {
              if (Array.isArray(err)) return checkErrors(err, `${where}, an error message`);
              const code = (err as { code?: unknown })?.code;
              // A close ends this client: the next document gets a new connection.
              void closeSocket();
              if (typeof code === 'number' && FAILED_CLOSES.has(code))
                throw new Error(
                  `${where}: the server closed the socket with ${code} ${(err as { reason?: string }).reason ?? ''}`,
                );
              if (!(typeof code === 'number'))
                throw new Error(`${where}: the socket failed: ${preview(String(err))}`);
            }),
          complete: () => finish(),
        },
      );
      if (onSubscribed) setTimeout(() => void onSubscribed().catch(() => undefined), 50);
    });
    if (failure) throw failure;
  }

  it('over WebSocket, queries and mutations: every error coded, none INTERNAL_SERVER_ERROR, no failed socket', async () => {
    await fc.assert(
      fc.asyncProperty(docs.documents({ query: 1, mutation: 1 }), (doc) => overSocket(doc)),
      fuzzOptions(0.2),
    );
  });

  it('over WebSocket, subscriptions while real reactions arrive: every error coded, none INTERNAL_SERVER_ERROR', async () => {
    await fc.assert(
      fc.asyncProperty(docs.documents({ subscription: 1 }), async (doc) => {
        // Articles the document names get a reaction, so that resolvers run on real events.
        const named = pool.publishedIds.filter(
          (id) => doc.query.includes(id) || doc.variablesJson.includes(id),
        );
        await overSocket(doc, async () => {
          for (const id of named)
            await fetch(`${t.url}/api/v1/articles/${id}/reactions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ type: pool.reactionTypes[0] }),
            });
        });
      }),
      fuzzOptions(0.2),
    );
  });

  it('over WebSocket, messages graphql-ws does not expect: never an internal error, never a failed socket', async () => {
    const payload = fc.oneof(
      junkJson,
      fc.record(
        {
          query: fc.oneof(
            docs.documents().map((d) => d.query),
            junkString,
          ),
          variables: junkJson,
        },
        { requiredKeys: [] },
      ),
    );
    const message = fc.oneof(
      fc.record({
        type: fc.constant('connection_init'),
        payload: fc.oneof(junkJson, fc.constant(undefined)),
      }),
      fc.record({
        type: fc.constant('subscribe'),
        id: fc.oneof(fc.constantFrom('1', '1', '2'), junkString),
        payload,
      }),
      // Messages only a server sends (connection_ack, next, error), well-formed or not.
      fc.record({
        type: fc.constantFrom('connection_ack', 'next', 'error', 'complete', 'ping', 'pong', 'nope', ''),
        id: fc.constantFrom('1', '2'),
        payload: fc.oneof(
          fc.constant({}),
          fc.constant({ data: null }),
          fc.constant([{ message: 'x' }]),
          junkJson,
        ),
      }),
      fc.constantFrom<unknown>(
        new RawJson('not json'),
        new RawJson('[]'),
        new RawJson('1'),
        new RawJson('null'),
        new RawJson('{"type":1}'),
      ),
    );
    const session = fc.record({
      protocol: fc.constantFrom(
        'graphql-transport-ws',
        'graphql-transport-ws',
        'graphql-transport-ws',
        'graphql-ws',
        '',
      ),
      init: fc.oneof(
        { weight: 4, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(session, async ({ protocol, init, messages }) => {
        const ws = new WebSocket(wsUrl, protocol ? [protocol] : []);
        const received: string[] = [];
        // A handshake the client itself gives up (no subprotocol it offered) closes 1006 too.
        let opened = false;
        const closed = new Promise<number>((resolve) => {
          ws.on('close', (code) => resolve(code));
          ws.on('error', () => undefined);
          ws.on('message', (data) =>
            received.push(
              (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString('utf8'),
            ),
          );
        });
        try {
          await new Promise<void>((resolve, reject) => {
            ws.once('open', () => {
              opened = true;
              resolve();
            });
            ws.once('error', reject);
            ws.once('unexpected-response', (_req, res) =>
              reject(new Error(`the upgrade was answered ${res.statusCode}`)),
            );
          }).catch((err: Error) => {
            if (/answered 5\d\d/.test(err.message)) throw err;
          });
          if (ws.readyState === WebSocket.OPEN) {
            if (init) ws.send(JSON.stringify({ type: 'connection_init' }));
            for (const m of messages) if (ws.readyState === WebSocket.OPEN) ws.send(toJsonText(m));
          }
          const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(0), 150))]);
          for (const text of received) {
            expectNoLeak(text, 'a message');
            const m = JSON.parse(text);
            if (m.type === 'error') checkErrors(m.payload, 'an error message');
            if (m.type === 'next') checkErrors(m.payload?.errors, 'a result');
          }
          if (opened && FAILED_CLOSES.has(code)) throw new Error(`the server closed the socket with ${code}`);
        } finally {
          ws.terminate();
        }
      }),
      fuzzOptions(0.15),
    );
  });
});
