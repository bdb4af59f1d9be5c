/**
 * Well-formed requests carrying values the database cannot take: a cursor whose contents are
 * not a position, text with a NUL character (PostgreSQL refuses it in text), a JSON body nested
 * thousands deep. Each used to answer 500 and log a stack trace at error level, so anyone
 * without a key could flood the error log (OWASP API4:2023 Unrestricted Resource Consumption,
 * API8:2023 Security Misconfiguration; CWE-20, CWE-117 log flooding). Each must be a 400
 * problem+json (REST) or a BAD_USER_INPUT error (GraphQL), logged at info at most.
 *
 * The built server runs as its own process (as in production) so its log lines can be read.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { HttpClient, expectProblem, type HttpAnswer } from '../support/http-client';
import { spawnServer, type SpawnedServer } from '../support/spawned-server';

const ADMIN_KEY = `bad-values-admin-key-${randomUUID()}`;
const UUID = '00000000-0000-4000-8000-000000000000';
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** JSON text of an array nested this deep (built as text: JSON.stringify would recurse as deep). */
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** Cursors that decode to the right shape with a value the database cannot use. */
const BAD_CURSORS: { name: string; cursor: string; q?: string }[] = [
  { name: 'a time that is not one', cursor: cursor(['t', 'garbage', UUID]) },
  { name: 'the 30th of February', cursor: cursor(['t', '2026-02-30T10:00:00.000000Z', UUID]) },
  { name: 'an id of 36 dashes', cursor: cursor(['t', '2026-01-01T00:00:00.000000Z', '-'.repeat(36)]) },
  { name: 'a rank that is not a number', cursor: cursor(['q', 'garbage', UUID]), q: 'ferry' },
  { name: 'a rank too large for a real', cursor: cursor(['q', '1e39', UUID]), q: 'ferry' },
  { name: 'a relevance cursor on the newest-first list', cursor: cursor(['q', '0.5', UUID]) },
];

interface GraphqlErrors {
  errors?: { extensions?: { code?: string; errors?: { path: string }[] } }[];
}

/**
 * Sends each subscribe payload (raw JSON text, so it can be nested deeper than JSON.stringify
 * goes) over one graphql-ws connection and gives back what came for each: its first `next`
 * payload, or the `error` message's errors.
 */
async function overWebSocket(url: string, payloads: string[]): Promise<GraphqlErrors[]> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const results = new Map<string, GraphqlErrors>();
  try {
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { id?: string; type: string; payload?: unknown };
        if (m.type === 'connection_ack')
          payloads.forEach((p, i) => ws.send(`{"id":"${i}","type":"subscribe","payload":${p}}`));
        if (m.id !== undefined && !results.has(m.id)) {
          if (m.type === 'next') results.set(m.id, m.payload as GraphqlErrors);
          if (m.type === 'error') results.set(m.id, { errors: m.payload as GraphqlErrors['errors'] });
        }
        if (results.size === payloads.length) resolve();
      });
    });
  } finally {
    ws.close();
  }
  return payloads.map((_, i) => results.get(String(i)) ?? {});
}

interface LogLine {
  level: number;
  requestId?: string;
  msg?: string;
  res?: { statusCode: number };
  err?: unknown;
}

describe('Hardening: values the database cannot take are 400, logged at info at most', () => {
  let server: SpawnedServer;
  let anonymous: HttpClient;
  let admin: HttpClient;
  /** The REST request ids sent by these tests, each with the status its answer had. */
  const sent = new Map<string, number>();
  let sentToGraphql = 0;
  let sentOverWebSocket = 0;
  /** How many log lines the server had written before the first of these requests. */
  let startupLines = 0;

  beforeAll(async () => {
    server = await spawnServer({ NODE_ENV: 'production', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info' });
    anonymous = new HttpClient(server.url, undefined, { checkLeaks: true });
    admin = new HttpClient(server.url, ADMIN_KEY, { checkLeaks: true });
    startupLines = server.lines().length;
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function send(
    client: HttpClient,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const id = `bad-values-${randomUUID()}`;
    const answer = await client.request(method, path, body, { ...headers, 'x-request-id': id });
    // Only REST requests get a request line (GraphQL's errors are logged by its error formatter).
    if (path.startsWith('/graphql')) sentToGraphql++;
    else sent.set(id, answer.status);
    return answer;
  }

  async function graphql(client: HttpClient, query: string, variables?: Record<string, unknown>) {
    const answer = await send(client, 'POST', '/graphql', { query, variables });
    return answer.body as { errors?: { extensions?: { code?: string; errors?: { path: string }[] } }[] };
  }

  function expectBadInput(
    body: { errors?: { extensions?: { code?: string; errors?: { path: string }[] } }[] },
    path: string,
  ) {
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ path }] });
  }

  describe('a cursor with a bad value inside', () => {
    it.each(BAD_CURSORS)('REST ?cursor=: $name', async ({ cursor: c, q }) => {
      const query = new URLSearchParams({ cursor: c, ...(q ? { q } : {}) });
      const answer = await send(anonymous, 'GET', `/api/v1/articles?${query.toString()}`);
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual([{ path: 'cursor', message: 'is not a cursor of this list' }]);
    });

    it.each(BAD_CURSORS)('GraphQL after: $name', async ({ cursor: c, q }) => {
      const body = await graphql(
        anonymous,
        `
          query ($after: String, $q: String) {
            articles(after: $after, filter: { q: $q }) {
              totalCount
            }
          }
        `,
        { after: c, q },
      );
      expectBadInput(body, 'after');
    });
  });

  describe('a NUL character in text', () => {
    it.each(['q', 'author'])('REST query ?%s=', async (name) => {
      const answer = await send(anonymous, 'GET', `/api/v1/articles?${name}=a%00b`);
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual([{ path: name, message: expect.stringContaining('NUL') }]);
    });

    it('REST JSON bodies, public and editor, at any depth and in keys', async () => {
      const reaction = await send(anonymous, 'POST', `/api/v1/articles/any-slug/reactions`, {
        type: 'veryGood',
        clientId: 'reader\u0000',
      });
      expectProblem(reaction, 400);
      expect(reaction.body.errors).toEqual([{ path: 'clientId', message: expect.stringContaining('NUL') }]);

      const section = await send(admin, 'POST', '/api/v1/sections', { slug: 'nul-name', name: 'a\u0000b' });
      expectProblem(section, 400);
      expect(section.body.errors[0].path).toBe('name');

      const article = await send(admin, 'POST', '/api/v1/articles', {
        title: 'NUL inside a block',
        body: [{ type: 'list', ordered: false, items: ['fine', 'not\u0000fine'] }],
      });
      expectProblem(article, 400);
      expect(article.body.errors[0].path).toBe('body.0.items.1');

      const key = await send(admin, 'POST', '/api/v1/sections', { slug: 'nul-key', name: 'x', 'a\u0000': 1 });
      expectProblem(key, 400);
      expect(key.body.errors[0].path).toBe('a\\u0000');
    });

    it('REST path parameters', async () => {
      expectProblem(await send(anonymous, 'GET', '/api/v1/articles/a%00b'), 400);
    });

    it('GraphQL variables, string literals and GET query strings', async () => {
      const list = `query($q: String, $author: String) { articles(filter: { q: $q, author: $author }) { totalCount } }`;
      expectBadInput(await graphql(anonymous, list, { q: 'a\u0000b' }), 'filter.q');
      expectBadInput(await graphql(anonymous, list, { author: 'a\u0000b' }), 'filter.author');
      // The document itself spells the NUL as a GraphQL escape.
      expectBadInput(
        await graphql(anonymous, '{ articles(filter: { q: "a\\u0000b" }) { totalCount } }'),
        'filter.q',
      );
      expectBadInput(
        await graphql(
          anonymous,
          `mutation { react(articleId: "${UUID}", type: "veryGood", clientId: "r\\u0000") { count } }`,
        ),
        'clientId',
      );
      expectBadInput(
        await graphql(
          admin,
          `
            mutation ($i: CreateSectionInput!) {
              createSection(input: $i) {
                slug
              }
            }
          `,
          {
            i: { slug: 'nul-gql', name: 'a\u0000b' },
          },
        ),
        'input.name',
      );
      const get = await send(
        anonymous,
        'GET',
        `/graphql?${new URLSearchParams({ query: list, variables: JSON.stringify({ q: 'a\u0000b' }) }).toString()}`,
        undefined,
        { 'apollo-require-preflight': 'true' },
      );
      expectBadInput(get.body, 'filter.q');
    });

    it('an import line (read raw, past the global pipe) fails with a reason, not a 500', async () => {
      const answer = await send(
        admin,
        'POST',
        '/api/v1/imports',
        `${JSON.stringify({ externalId: `nul-${randomUUID()}`, title: 'a\u0000b', bodyText: 'x' })}\n`,
        { 'content-type': 'application/x-ndjson' },
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        created: 0,
        failed: 1,
        errors: [{ line: 1, message: expect.stringMatching(/^title: .*NUL/) }],
      });
    });
  });

  describe('a JSON body nested 10,000 deep', () => {
    it('POST /graphql is 400 problem+json', async () => {
      const answer = await send(
        anonymous,
        'POST',
        '/graphql',
        `{"query":"query($x: [[Int]]) { sections { slug } }","variables":{"x":${deep(10_000)}}}`,
      );
      expectProblem(answer, 400);
      expect(answer.body.detail).toMatch(/nests/);
    });

    it('the public POST /articles/{idOrSlug}/reactions is 400 problem+json', async () => {
      const answer = await send(
        anonymous,
        'POST',
        '/api/v1/articles/any-slug/reactions',
        `{"type":${deep(10_000)}}`,
      );
      expectProblem(answer, 400);
      expect(answer.body.detail).toMatch(/nests/);
    });

    it('a body nested as deep as real inputs go is still read', async () => {
      const answer = await send(
        anonymous,
        'POST',
        '/graphql',
        `{"query":"{ sections { slug } }","variables":{"padding":${deep(40)}}}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { sections: expect.any(Array) } });
    });
  });

  it('over graphql-ws too: a NUL, a bad cursor, a variable of the wrong type or nested 10,000 deep', async () => {
    const subscription = 'subscription($a: ID!) { reactionsChanged(articleId: $a) { count } }';
    const payload = (query: string, variables: string) =>
      `{"query":${JSON.stringify(query)},"variables":${variables}}`;
    const answers = await overWebSocket(server.url, [
      payload(subscription, '{"a":"x\\u0000"}'),
      payload(
        'query($a: String) { articles(after: $a) { totalCount } }',
        JSON.stringify({ a: BAD_CURSORS[0].cursor }),
      ),
      payload(subscription, '{"a":true}'),
      payload(subscription, `{"a":${deep(10_000)}}`),
    ]);
    sentOverWebSocket += answers.length;
    expect(answers.map((a) => a.errors?.map((e) => e.extensions?.code))).toEqual([
      ['BAD_USER_INPUT'],
      ['BAD_USER_INPUT'],
      ['BAD_USER_INPUT'],
      ['BAD_USER_INPUT'],
    ]);
    expect(answers[0].errors?.[0].extensions?.errors).toEqual([
      { path: 'articleId', message: expect.any(String) },
    ]);
  });

  it('none of it logged above info, and no stack trace was logged', async () => {
    expect(Math.min(sent.size, sentToGraphql)).toBeGreaterThanOrEqual(10);
    expect(sentOverWebSocket).toBe(4);
    const byId = (lines: LogLine[]) => new Set(lines.filter((l) => l.res).map((l) => l.requestId));
    // Each request's own line is written when its answer has been sent.
    const deadline = Date.now() + 5000;
    let lines: LogLine[] = [];
    do {
      lines = server
        .lines()
        .slice(startupLines)
        .map((l) => JSON.parse(l) as LogLine);
      if ([...sent.keys()].every((id) => byId(lines).has(id))) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    for (const [id, status] of sent) {
      const line = lines.find((l) => l.requestId === id && l.res);
      expect({ id, status, level: line?.level }).toEqual({ id, status, level: 30 });
    }
    expect(lines.filter((l) => l.level > 30)).toEqual([]);
    expect(server.lines().filter((l) => /\\n\s+at |"stack"/.test(l))).toEqual([]);
    expect(server.stderr()).not.toMatch(/\n\s+at /);
  });
});
