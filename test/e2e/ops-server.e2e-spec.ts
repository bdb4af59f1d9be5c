import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect } from 'node:net';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { spawnServer } from '../support/spawned-server';
import { waitFor } from '../support/wait-for';

/**
 * These tests run the built server (`node dist/main.js`, built first when out of date) as its own
 * process, the way it runs in production, and read its stdout.
 */
function parseLines(lines: string[]): Record<string, any>[] {
  return lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, any>;
    } catch {
      throw new Error(`a log line is not JSON: ${line}`);
    }
  });
}

describe('The server process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs one JSON line per request carrying the X-Request-Id it answers with, and no key', async () => {
    const server = await spawnServer();
    try {
      const given = `trace-${unique()}`;
      const withId = await fetch(`${server.url}/api/v1/sections`, { headers: { 'x-request-id': given } });
      expect(withId.status).toBe(200);
      expect(withId.headers.get('x-request-id')).toBe(given);

      const made = await fetch(`${server.url}/api/v1/sections`, {
        headers: { 'x-request-id': 'not an id: has spaces' },
      });
      const madeId = made.headers.get('x-request-id');
      expect(madeId).toMatch(/^[0-9a-f-]{36}$/);

      // A request with a key in the header and in the query string (where it does not belong).
      const slug = unique('logged');
      const keyed = await fetch(`${server.url}/api/v1/sections?key=${encodeURIComponent(t.editorKey)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.editorKey}`,
          'content-type': 'application/json',
          cookie: `session=${t.editorKey}`,
        },
        body: JSON.stringify({ slug, name: 'Logged', key: t.editorKey }),
      });
      const keyedId = keyed.headers.get('x-request-id');
      expect(keyedId).toBeTruthy();
      // A wrong key, too: a failed authentication logs no part of what was sent.
      const wrong = `dl_0123456789abcdef_${unique('secretpart')}`;
      const refused = await fetch(`${server.url}/api/v1/sections`, {
        headers: { authorization: `Bearer ${wrong}` },
      });
      expect(refused.status).toBe(401);
      const refusedId = refused.headers.get('x-request-id');

      const lineOf = (id: string | null) => () =>
        parseLines(server.lines()).find((l) => l.requestId === id && l.res?.statusCode !== undefined);
      const line = await waitFor('the request log line', lineOf(given));
      expect(line).toMatchObject({
        requestId: given,
        req: { method: 'GET', url: '/api/v1/sections' },
        res: { statusCode: 200 },
        route: '/api/v1/sections',
        durationMs: expect.any(Number),
      });
      await waitFor('the made id line', lineOf(madeId));
      const keyedLine = await waitFor('the keyed request line', lineOf(keyedId));
      expect(keyedLine).toMatchObject({ req: { method: 'POST' }, route: '/api/v1/sections' });
      await waitFor('the refused line', lineOf(refusedId));

      // The secret is everything after `dl_<prefix>_` (it may itself contain underscores).
      const secretOf = (key: string) => key.split('_').slice(2).join('_');
      const secretPart = secretOf(t.editorKey);
      const wrongPart = secretOf(wrong);
      for (const l of server.lines()) {
        expect(l).not.toContain(secretPart);
        expect(l).not.toContain(secretPart.slice(0, 12));
        expect(l).not.toContain(wrongPart);
      }
      expect(server.stderr()).not.toContain(secretPart);
    } finally {
      await server.stop();
    }
  });

  it('LOG_LEVEL=warn leaves out the request lines and the start-up messages', async () => {
    const server = await spawnServer({ LOG_LEVEL: 'warn' });
    const res = await fetch(`${server.url}/api/v1/sections`);
    expect(res.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const levels = parseLines(server.lines()).map((l) => l.level as number);
    expect(levels.filter((level) => level < 40)).toEqual([]);
  });

  /**
   * Slow requests, honestly: each client sends its headers with `Expect: 100-continue`, waits for
   * the server's `100 Continue` (so the server has accepted the request), then holds the body back
   * until the server has been told to stop, the way a client on a slow link uploads.
   */
  it('SIGTERM: every accepted request is answered, new connections are refused, exit 0', async () => {
    const server = await spawnServer();
    const pending: {
      req: ClientRequest;
      body: string;
      answer: Promise<{ status: number; body: string }>;
    }[] = [];
    try {
      // Four REST writes and two GraphQL reads.
      const slugs = [0, 1, 2, 3].map((i) => unique(`drain${i}`));
      const burst = [
        ...slugs.map((slug) => ({ path: '/api/v1/sections', body: JSON.stringify({ slug, name: 'Drain' }) })),
        ...[0, 1].map(() => ({ path: '/graphql', body: JSON.stringify({ query: '{ sections { slug } }' }) })),
      ];
      for (const { path, body } of burst) {
        const req = httpRequest(`${server.url}${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${t.editorKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            expect: '100-continue',
          },
        });
        const continued = new Promise<void>((res) => req.once('continue', () => res()));
        const answer = new Promise<{ status: number; body: string }>((res, rej) => {
          req.once('response', (r) => {
            let text = '';
            r.setEncoding('utf8').on('data', (d: string) => (text += d));
            r.once('end', () => res({ status: r.statusCode ?? 0, body: text }));
          });
          req.once('error', rej);
        });
        req.flushHeaders();
        await continued;
        req.write(body.slice(0, 5));
        pending.push({ req, body, answer });
      }

      server.child.kill('SIGTERM');

      // New connections are refused while the accepted requests are still open.
      const refused = await (async () => {
        const deadline = Date.now() + 8000;
        while (Date.now() < deadline) {
          const code = await new Promise<string | null>((res) => {
            const s = connect(server.port, '127.0.0.1');
            s.once('connect', () => {
              s.destroy();
              res(null);
            });
            s.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? 'error'));
          });
          if (code) return code;
          await new Promise((r) => setTimeout(r, 50));
        }
        return null;
      })();
      expect(refused).toBe('ECONNREFUSED');
      expect(server.child.exitCode).toBeNull();

      for (const p of pending) p.req.end(p.body.slice(5));
      const answers = await Promise.all(pending.map((p) => p.answer));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 200, 200]);
      for (const a of answers.slice(4)) {
        const gql = JSON.parse(a.body) as { data?: { sections: { slug: string }[] }; errors?: unknown };
        expect(gql.errors).toBeUndefined();
        expect(gql.data?.sections).toEqual(expect.any(Array));
      }
      // The writes are there: read back through a server that is still running.
      for (const slug of slugs) expect((await t.anonymous.get(`/api/v1/sections/${slug}`)).status).toBe(200);

      expect(await server.exited).toBe(0);
      const logged = parseLines(server.lines());
      expect(logged.some((l) => /SIGTERM/.test(String(l.msg)))).toBe(true);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
