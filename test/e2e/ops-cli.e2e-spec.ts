import { HttpClient, expectProblem } from '../support/http-client';
import { runNode } from '../support/spawned-server';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/** The editors' command line, run as its own process (`node dist/cli/main.js`) on the test database. */
const cms = (args: string[], env: Record<string, string> = {}) => runNode('dist/cli/main.js', args, env);

const SECRET = /\bdl_[0-9a-f]{16}_[A-Za-z0-9_-]+/;

describe('npm run cms', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates, lists and revokes a key on the database; the revoked key is 401 at once', async () => {
    const name = unique('cli admin');
    const created = await cms(['api-key', 'create', '--name', name, '--role', 'admin']);
    expect(created).toMatchObject({ status: 0, stderr: '' });
    const secret = SECRET.exec(created.stdout)?.[0];
    expect(secret).toBeDefined();
    const id = /API key ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(id).toBeDefined();

    const listed = await cms(['api-key', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain(name);
    expect(listed.stdout).not.toMatch(SECRET);

    const client = new HttpClient(t.url, secret);
    expect((await client.get('/api/v1/api-keys')).status).toBe(200);

    const revoked = await cms(['api-key', 'revoke', id!]);
    expect(revoked).toMatchObject({ status: 0 });
    expectProblem(await client.get('/api/v1/api-keys'), 401);
    expect((await cms(['api-key', 'list'])).stdout).not.toContain(id);
  });

  it('--json prints the new key and the list as JSON for scripts', async () => {
    const created = await cms(['api-key', 'create', '--name', unique('json'), '--role', 'editor', '--json']);
    expect(created.status).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; role: string; key: string };
    expect(key).toMatchObject({ role: 'editor', key: expect.stringMatching(SECRET) });
    const list = JSON.parse((await cms(['api-key', 'list', '--json'])).stdout) as { data: { id: string }[] };
    expect(list.data.map((k) => k.id)).toContain(key.id);
    expect(JSON.stringify(list)).not.toContain(key.key);
  });

  it('with --url and --key it does the same over REST against a running server', async () => {
    const remote = ['--url', t.url, '--key', t.adminKey];
    const created = await cms([
      ...remote,
      'api-key',
      'create',
      '--name',
      unique('remote'),
      '--role',
      'editor',
    ]);
    expect(created.status).toBe(0);
    const secret = SECRET.exec(created.stdout)![0];
    const id = /API key ([0-9a-f-]{36})/.exec(created.stdout)![1];
    expect((await cms([...remote, 'api-key', 'list'])).stdout).toContain(id);

    const editor = new HttpClient(t.url, secret);
    expect((await editor.post('/api/v1/sections', { slug: unique('remote'), name: 'Remote' })).status).toBe(
      201,
    );
    expect((await cms([...remote, 'api-key', 'revoke', id])).status).toBe(0);
    expectProblem(await editor.post('/api/v1/sections', { slug: unique('remote'), name: 'Remote' }), 401);

    // An editor key may not manage keys: the server's 403 becomes exit 1 with its reason.
    const refused = await cms(['--url', t.url, '--key', t.editorKey, 'api-key', 'list']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^error: the server answered 403: .+\n$/);
  });

  it('migrate runs under the start-up lock and reports an up-to-date database', async () => {
    const res = await cms(['migrate']);
    expect(res).toMatchObject({ status: 0, stderr: '' });
    expect(res.stdout).toContain('up to date');
  });

  it('exit codes scripts can trust: 1 with one line for failures, 2 for usage errors, 0 for --help', async () => {
    const badRole = await cms(['api-key', 'create', '--name', 'x', '--role', 'root']);
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toMatch(/^error: --role must be contributor, editor or admin[^\n]*\n$/);

    const unknownId = await cms(['api-key', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(unknownId.status).toBe(1);
    expect(unknownId.stderr).toMatch(/^error: No API key [^\n]*\n$/);
    expect((await cms(['api-key', 'revoke', 'not-an-id'])).status).toBe(1);

    const unreachable = await cms(['api-key', 'list'], {
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere',
    });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: cannot reach the database[^\n]*\n$/);

    const badSetting = await cms(['api-key', 'list'], { DB_POOL_SIZE: 'many' });
    expect(badSetting.status).toBe(1);
    expect(badSetting.stderr).toMatch(/^error: Invalid setting DB_POOL_SIZE[^\n]*\n$/);

    expect((await cms(['api-key', 'create', '--name', 'x'])).status).toBe(2);
    expect((await cms(['no-such-command'])).status).toBe(2);
    expect((await cms(['api-key'])).status).toBe(2);

    for (const args of [
      [],
      ['migrate'],
      ['api-key'],
      ['api-key', 'create'],
      ['api-key', 'list'],
      ['api-key', 'revoke'],
    ]) {
      const help = await cms([...args, '--help']);
      expect({ args, status: help.status }).toEqual({ args, status: 0 });
      expect(help.stdout).toContain('Usage: cms');
    }
    // Nine commands, each a Node process of its own (about 4 s apiece on this machine's CI).
  }, 120_000);
});
