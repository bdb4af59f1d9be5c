/**
 * Property-based test over import lines (the hardening hook for imports): random well-formed and
 * malformed NDJSON lines never produce a 5xx, every line is counted exactly once, and no line
 * changes an article it does not name. Runs are few (NUM_RUNS); the seed is printed so a failure
 * can be replayed with `fc.assert(…, { seed, path })`.
 */
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';

const NUM_RUNS = 12;

const anyJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 30 }),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

const htmlFragment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => `<p>${s}</p>`),
  fc.constantFrom(
    '<script>alert(1)</script><p>x</p>',
    '<img src=x onerror=alert(1)>',
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<h2>Head</h2><ul><li>a</li></ul>',
    '<p>&amp; &lt; &#x1F600; &bogus;</p>',
    '<div><p>unclosed',
  ),
);

describe('Import lines under random input', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('never a 5xx, every line counted once, no article changed that a line does not name', async () => {
    const run = unique('prop');
    const sentinel = unique('sentinel');
    const created = await t.editor.post('/api/v1/articles', {
      slug: sentinel,
      title: 'Sentinel',
      bodyText: 'Keep',
    });
    expect(created.status).toBe(201);
    const before = await db.query(`SELECT content_hash, updated_at FROM articles WHERE slug = $1`, [
      sentinel,
    ]);

    const wellFormed = fc.record(
      {
        externalId: fc.integer({ min: 0, max: 20 }).map((i) => `${run}-${i}`),
        title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
        bodyHtml: htmlFragment,
        tags: fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 3 }),
        status: fc.constantFrom('draft', 'published', 'archived'),
        publishedAt: fc.constantFrom(undefined, '2026-01-01T00:00:00Z', '2099-01-01T00:00:00+02:00'),
      },
      { requiredKeys: ['externalId', 'title'] },
    );
    const malformed = fc.oneof(
      anyJson.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 50 }).filter((s) => !s.includes('\n') && !s.includes('\r')),
      fc
        .record({ externalId: fc.constant(`${run}-bad`), title: anyJson, body: anyJson })
        .map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '{"title":"x","__proto__":{"admin":true}}',
        `{"title":"x","slug":"${sentinel}","externalId":"${run}-steal"}`,
        '{"title":"x","id":"00000000-0000-4000-8000-000000000000"}',
        '{"title":"x","section":"no-such-section-anywhere"}',
        '{"title":"x","relatedArticles":["missing-article"]}',
      ),
    );
    const line = fc.oneof(
      wellFormed.map((v) => JSON.stringify(v)),
      malformed,
    );

    const seed = Date.now();
    console.log(`import lines property seed ${seed}`);
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        const body = lines.join('\n') + '\n';
        const answer = await postImport(t.editor, body, 'application/x-ndjson');
        expect(answer.status).toBe(200);
        const counted =
          answer.body.created +
          answer.body.updated +
          answer.body.unchanged +
          answer.body.skipped +
          answer.body.failed;
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect(counted).toBe(nonBlank);
        expect(answer.body.errors).toHaveLength(answer.body.failed);
      }),
      { seed, numRuns: NUM_RUNS },
    );
    const after = await db.query(`SELECT content_hash, updated_at FROM articles WHERE slug = $1`, [sentinel]);
    expect(after).toEqual(before);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // The line that named the sentinel's slug under another externalId failed; it made nothing.
    const stray: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM articles WHERE external_id = $1`,
      [`${run}-steal`],
    );
    expect(stray[0].n).toBe(0);
  });
});
