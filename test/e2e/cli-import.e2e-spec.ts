import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ndjson } from '../support/imports';
import { runNode } from '../support/spawned-server';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const cms = (args: string[], env?: Record<string, string>) => runNode('dist/cli/main.js', args, env);

describe('npm run cms -- import / export / seed-demo', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(join(tmpdir(), 'cms-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('imports a file on the database: summary table, report file of failed lines, exit 1; a clean re-run exits 0', async () => {
    const section = unique('cli-sec');
    const run = unique('cli');
    const lines = [1, 2, 3, 4].map((i) => ({
      externalId: `${run}-${i}`,
      title: `CLI story ${i}`,
      bodyText: `Body ${i} — ünïcode`,
      section,
      status: 'published',
      publishedAt: '2026-05-06T07:08:09.000Z',
    }));
    const file = join(dir, `${run}.ndjson`);
    writeFileSync(file, ndjson([...lines.slice(0, 2), '{"title": broken', ...lines.slice(2)]));

    const dry = await cms(['import', file, '--dry-run', '--create-sections', '--json']);
    expect(dry.status).toBe(1);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, created: 4, failed: 1 });
    const db = t.dateline.app.get(DataSource);
    const count = async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM articles WHERE external_id LIKE $1`, [`${run}-%`]))[0].n,
      );
    expect(await count()).toBe(0);

    const real = await cms(['import', file, '--create-sections']);
    expect(real.status).toBe(1);
    expect(real.stdout).toMatch(/\|\s*created\s*\|\s*4/);
    expect(real.stdout).toMatch(/\|\s*failed\s*\|\s*1/);
    expect(real.stderr).toContain(`${file}.errors.ndjson`);
    const report = readFileSync(`${file}.errors.ndjson`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(report).toEqual([{ line: 3, externalId: null, message: expect.any(String) }]);
    expect(await count()).toBe(4);

    const clean = join(dir, `${run}-clean.ndjson`);
    writeFileSync(clean, ndjson(lines));
    const again = await cms(['import', clean, '--format', 'ndjson', '--json']);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, unchanged: 4, failed: 0 });
    expect(existsSync(`${clean}.errors.ndjson`)).toBe(false);
    expect(again.stderr).toBe('');

    const exported = join(dir, `${run}-export.ndjson`);
    expect((await cms(['export', exported, '--section', section])).status).toBe(0);
    const out = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((l) => l.externalId).sort()).toEqual(lines.map((l) => l.externalId).sort());
    const stdout = await cms(['export', '--section', section]);
    expect(stdout.stdout).toBe(readFileSync(exported, 'utf8'));
    expect((await cms(['import', file, '--format', 'csv'])).status).toBe(1);
  });

  it('two writers on the database: a key seen again later in the file is written after the first one', async () => {
    const run = unique('cli-two');
    const lines: unknown[] = Array.from({ length: 700 }, (_, i) => ({
      externalId: `${run}-${i}`,
      title: `Story ${i}`,
      bodyText: `Body ${i}`,
    }));
    lines.push({ externalId: `${run}-0`, title: 'Story 0, the later version', bodyText: 'Body 0' });
    const file = join(dir, `${run}.ndjson`);
    writeFileSync(file, ndjson(lines));
    const imported = await cms(['import', file, '--json']);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: 700, updated: 1, failed: 0 });
    const db = t.dateline.app.get(DataSource);
    const rows: { title: string }[] = await db.query(`SELECT title FROM articles WHERE external_id = $1`, [
      `${run}-0`,
    ]);
    expect(rows).toEqual([{ title: 'Story 0, the later version' }]);
  });

  it('with --url and --key, import and export go through a running server', async () => {
    const run = unique('cli-remote');
    const file = join(dir, `${run}.ndjson`);
    writeFileSync(file, ndjson([{ slug: run, title: 'Remote story', bodyText: 'Over REST' }]));
    const remote = ['--url', t.url, '--key', t.editorKey];
    const imported = await cms([...remote, 'import', file, '--json']);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ created: 1, failed: 0 });
    expect((await t.editor.get(`/api/v1/articles/${run}`)).body.title).toBe('Remote story');
    const exported = await cms([...remote, 'export', '--status', 'draft']);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain(`"slug":"${run}"`);
    const refused = await cms(['--url', t.url, '--key', 'wrong', 'import', file]);
    expect(refused.status).toBe(1);
  });

  it('npm run cms starts Node with flags this Node accepts (they keep a long import in less memory)', () => {
    const root = join(__dirname, '../..');
    const script = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { cms: string } }
    ).scripts.cms;
    const [node, ...args] = script.split(/\s+/);
    expect(node).toBe('node');
    const run = spawnSync(process.execPath, [...args, 'import', '--help'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--create-sections');
  });

  it('seed-demo loads the demo newsroom (again: only what is missing)', async () => {
    const seeded = await cms(['seed-demo']);
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/demo loaded: \d+ sections, \d+ articles/);
    const again = await cms(['seed-demo']);
    expect(again.stdout).toContain('0 sections, 0 articles');
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl)
  console.log('Skipped the direct import invalidation test: TEST_REDIS_URL is not set (.ci/run sets it).');

(redisUrl ? describe : describe.skip)('npm run cms -- import, direct mode, with REDIS_URL', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp({ redisUrl });
    dir = mkdtempSync(join(tmpdir(), 'cms-import-redis-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('running servers show what the import changed within moments, though their caches held the old version', async () => {
    const externalId = unique('cli-cached');
    const file = join(dir, `${externalId}.ndjson`);
    const importTitle = async (title: string) => {
      writeFileSync(file, ndjson([{ externalId, title, bodyText: 'Same body.', status: 'published' }]));
      const run = await cms(['import', file, '--json'], { REDIS_URL: redisUrl as string });
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout) as { created: number; updated: number };
    };
    expect(await importTitle('Before the import')).toMatchObject({ created: 1 });
    const db = t.dateline.app.get(DataSource);
    const slug = (await db.query(`SELECT slug FROM articles WHERE external_id = $1`, [externalId]))[0].slug;
    const page = `query($slug: String!) { article(slug: $slug) { title } }`;
    // Read twice: the second answer comes from the caches.
    for (let i = 0; i < 2; i++) {
      expect((await t.anonymous.get(`/api/v1/articles/${slug}`)).body.title).toBe('Before the import');
      expect((await t.anonymous.graphql(page, { slug })).data.article.title).toBe('Before the import');
    }
    expect(await importTitle('After the import')).toMatchObject({ updated: 1 });
    // The servers hear of it over Redis, so within moments, not on a read already under way; the
    // caches would otherwise keep the old version for minutes.
    await waitFor(
      'the REST read to show the import',
      async () =>
        (await t.anonymous.get(`/api/v1/articles/${slug}`)).body.title === 'After the import'
          ? true
          : undefined,
      5_000,
    );
    await waitFor(
      'the GraphQL read to show the import',
      async () =>
        (await t.anonymous.graphql(page, { slug })).data.article.title === 'After the import'
          ? true
          : undefined,
      5_000,
    );
  });
});
