import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { IMPORT_APPLICATION_NAME } from '../../src/imports/import.service';
import { ndjson, postImport } from '../support/imports';
import { testDatabaseUrl, usingEmbeddedDatabase } from '../support/test-database';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const itReal = usingEmbeddedDatabase() ? it.skip : it;
if (usingEmbeddedDatabase())
  console.log(
    'import concurrency and connection-kill tests skipped: the embedded database has a single session',
  );

const story = (run: string, i: number, tag: string) => ({
  externalId: `${run}-${i}`,
  title: `Concurrent story ${i}`,
  bodyText: `Body of story ${i}.`,
  tags: [{ slug: tag, name: 'Shared' }, { slug: `${tag}-${i % 7}` }],
  status: 'published',
  publishedAt: '2026-01-01T00:00:00.000Z',
});

describe('Imports under concurrency and database failure', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp({ dbPoolSize: 6 });
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  const counts = async (run: string) =>
    (
      await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS distinct_ids FROM articles WHERE external_id LIKE $1`,
        [`${run}-%`],
      )
    )[0] as { n: number; distinct_ids: number };

  itReal('two overlapping imports at once: no duplicates, no 500', async () => {
    const run = unique('conc');
    const tag = unique('conc-tag');
    const a = ndjson(Array.from({ length: 600 }, (_, i) => story(run, i, tag)));
    const b = ndjson(Array.from({ length: 600 }, (_, i) => story(run, i + 300, tag)));
    // Slug-keyed lines (no externalId) in both files too.
    const slug = unique('conc-slug');
    const bySlug = ndjson([{ slug, title: 'Slug keyed', bodyText: 'x' }]);
    const answers = await Promise.all([
      postImport(t.editor, a + bySlug, 'application/x-ndjson'),
      postImport(t.editor, b + bySlug, 'application/x-ndjson'),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.failed).toBe(0);
    }
    const total = answers.reduce((n, x) => n + x.body.created, 0);
    expect(total).toBe(900 + 1);
    expect(await counts(run)).toEqual({ n: 900, distinct_ids: 900 });
    expect((await db.query(`SELECT count(*)::int AS n FROM articles WHERE slug = $1`, [slug]))[0].n).toBe(1);
  });

  itReal(
    'the connection is killed mid-import: 503 with processedThroughLine; running it again completes it without duplicates',
    async () => {
      const run = unique('kill');
      const tag = unique('kill-tag');
      const total = 3000;
      const lines = Array.from({ length: total }, (_, i) => `${JSON.stringify(story(run, i + 1, tag))}\n`);
      let release!: () => void;
      const killed = new Promise<void>((resolve) => (release = resolve));
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          const encoder = new TextEncoder();
          controller.enqueue(encoder.encode(lines.slice(0, 1000).join('')));
          await killed;
          for (let i = 1000; i < total; i += 250)
            controller.enqueue(encoder.encode(lines.slice(i, i + 250).join('')));
          controller.close();
        },
      });
      const answer = fetch(`${t.url}/api/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.editorKey}`, 'content-type': 'application/x-ndjson' },
        body,
        duplex: 'half',
      });

      // From a separate client: wait for committed batches, then terminate the import's backend.
      const admin = new Client({ connectionString: testDatabaseUrl() });
      await admin.connect();
      try {
        for (let i = 0; i < 200 && (await counts(run)).n < 250; i++)
          await new Promise((r) => setTimeout(r, 50));
        expect((await counts(run)).n).toBeGreaterThanOrEqual(250);
        const terminated = await admin.query(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE application_name = $1 AND datname = current_database()`,
          [IMPORT_APPLICATION_NAME],
        );
        expect(terminated.rows.length).toBeGreaterThan(0);
      } finally {
        release();
        await admin.end();
      }
      const res = await answer;
      const problem = (await res.json()) as { status: number; processedThroughLine: number };
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const committed = await counts(run);
      expect(problem.processedThroughLine).toBe(committed.n);
      expect(committed.n).toBeLessThan(total);

      const again = await postImport(t.editor, lines.join(''), 'application/x-ndjson');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ created: total - committed.n, unchanged: committed.n, failed: 0 });
      expect(await counts(run)).toEqual({ n: total, distinct_ids: total });
    },
  );
});
