import { aSection, anArticle } from '../support/article-factory';
import { addViews } from '../support/signals';
import { startTestApp, type TestApp } from '../support/test-app';

type Item = { reason: string; article: { slug: string; section: { slug: string } | null } };
const list = (res: { body: { data: Item[] } }) => res.body.data.map((i) => [i.article.slug, i.reason]);

/**
 * A file (so a server) of its own: site-wide popular is cached per instance for up to 30 s, and
 * this test must be the first to ask for it.
 */
describe('Recommendations: fallbacks for a new reader', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('falls back to popular in the section, then popular site-wide, at most half from one section', async () => {
    const s = await aSection(t, 'Weather');
    const elsewhere = await aSection(t, 'Arts');
    const inS: { id: string; slug: string }[] = [];
    for (const views of [900_000_003, 900_000_002, 900_000_001])
      inS.push(
        await anArticle(t, { status: 'published', section: s }).then(async (x) => {
          await addViews(t, x.id, 1, views);
          return x;
        }),
      );
    const p = await anArticle(t, { status: 'published', section: elsewhere });
    const q = await anArticle(t, { status: 'published', section: elsewhere });
    const r = await anArticle(t, { status: 'published' });
    await addViews(t, p.id, 2, 800_000_002);
    await addViews(t, q.id, 2, 800_000_001);
    await addViews(t, r.id, 2, 800_000_000);

    const res = await t.anonymous.get(`/api/v1/recommendations?section=${s}&limit=5`);
    expect(res.status).toBe(200);
    const items = list(res);
    expect(items.slice(0, 2)).toEqual([
      [inS[0].slug, 'popular-in-section'],
      [inS[1].slug, 'popular-in-section'],
    ]);
    expect(items).toHaveLength(5);
    expect(items.slice(2).every((i) => i[1] === 'popular')).toBe(true);
    // Diversity: the third Weather story outscores p, q and r, but at most half (2 of 5) may come from one section.
    expect(res.body.data.filter((i: Item) => i.article.section?.slug === s)).toHaveLength(2);
    expect(items.slice(2)).toEqual([
      [p.slug, 'popular'],
      [q.slug, 'popular'],
      [r.slug, 'popular'],
    ]);
    // With no section and no client: popular site-wide (one of two from a section).
    const site = await t.anonymous.get(`/api/v1/recommendations?limit=2`);
    expect(list(site)).toEqual([
      [inS[0].slug, 'popular'],
      [p.slug, 'popular'],
    ]);
  });
});
