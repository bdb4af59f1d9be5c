import { DataSource } from 'typeorm';
import { DemoSeeder } from '../../src/articles/demo/demo-seeder';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { startTestApp, type TestApp } from '../support/test-app';

// The demo newsroom has fixed section slugs (home > world > asia-pacific), which other tests'
// imports may already have created differently: it gets a database of its own.
describe('Demo content', () => {
  let scratch: ScratchDatabase;
  let t: TestApp;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
    t = await startTestApp({ databaseUrl: scratch.url });
  });
  afterAll(async () => {
    await t?.close();
    await scratch?.drop();
  });

  it('seeds the demo newsroom once, then synthetic articles up to a total, readable through the API', async () => {
    const seeder = t.dateline.app.get(DemoSeeder);
    const db = t.dateline.app.get(DataSource);
    await seeder.seed();
    const [{ n: demo }] = await db.query(
      `SELECT count(*)::int AS n FROM articles WHERE external_id LIKE 'demo:%'`,
    );
    expect(demo).toBeGreaterThanOrEqual(55);
    const again = await seeder.seed();
    expect(again.articles).toBe(0);

    const tree = await t.anonymous.get('/api/v1/sections/asia-pacific');
    expect(tree.body.breadcrumb.map((s: { slug: string }) => s.slug)).toEqual([
      'home',
      'world',
      'asia-pacific',
    ]);
    const list = await t.anonymous.get('/api/v1/articles?section=world&limit=100');
    expect(list.body.data.length).toBeGreaterThan(10);
    const one = await t.anonymous.get(`/api/v1/articles/${list.body.data[0].slug}`);
    expect(one.body).toMatchObject({
      dateline: expect.stringMatching(/^[A-ZÀ-Ý .]+, .+/),
      source: expect.any(String),
    });
    expect(one.body.bodyText.split('\n\n').length).toBeGreaterThanOrEqual(3);
    expect(one.body.tags.length).toBeGreaterThan(0);

    const result = await seeder.seed({ articles: demo + 1200 });
    expect(result.synthetic).toBe(1200);
    const [{ n, avg }] = await db.query(
      `SELECT count(*)::int AS n, avg(length(body_text))::int AS avg FROM articles WHERE external_id LIKE 'synthetic:%'`,
    );
    expect(n).toBe(1200);
    expect(avg).toBeGreaterThan(2500);
    const synthetic = await t.anonymous.get('/api/v1/articles/synthetic-7');
    expect(synthetic.status).toBe(200);
    expect(synthetic.body.bodyHtml.startsWith('<p>')).toBe(true);
    const found = await t.anonymous.get('/api/v1/articles?q=marathon&limit=5');
    expect(found.body.data.length).toBeGreaterThan(0);
    expect((await seeder.seed({ articles: demo + 1200 })).synthetic).toBe(0);
  });
});
