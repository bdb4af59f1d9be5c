import { anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { clientViewed } from '../support/signals';
import { startTestApp, unique, type TestApp } from '../support/test-app';

type Item = { reason: string; article: { slug: string; section: { slug: string } | null } };
const list = (res: { body: { data: Item[] } }) => res.body.data.map((i) => [i.article.slug, i.reason]);

describe('Recommendations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('prefer what readers of the same articles read; never what the client read or the current article', async () => {
    const make = async () => anArticle(t, { status: 'published', bodyText: `Words ${unique('w')}.` });
    const [a, b, c, d, e] = [await make(), await make(), await make(), await make(), await make()];
    const me = unique('client');
    await clientViewed(t, me, [a.id, b.id]);
    await clientViewed(t, unique('peer'), [a.id, c.id, d.id]);
    await clientViewed(t, unique('peer'), [b.id, c.id]);
    await clientViewed(t, unique('peer'), [e.id]);

    const res = await t.anonymous.get(`/api/v1/recommendations?clientId=${me}&limit=10`);
    expect(res.status).toBe(200);
    const items = list(res);
    expect(items.slice(0, 2)).toEqual([
      [c.slug, 'readers-also-read'],
      [d.slug, 'readers-also-read'],
    ]);
    const slugs = items.map((i) => i[0]);
    expect(slugs).not.toContain(a.slug);
    expect(slugs).not.toContain(b.slug);
    expect(items.filter((i) => i[1] === 'readers-also-read').map((i) => i[0])).not.toContain(e.slug);

    // Reading c now: c itself is left out.
    const reading = await t.anonymous.get(
      `/api/v1/recommendations?clientId=${me}&articleId=${c.id}&limit=10`,
    );
    expect(list(reading)[0]).toEqual([d.slug, 'readers-also-read']);
    expect(list(reading).map((i) => i[0])).not.toContain(c.slug);
  });

  it('a new client gets articles related to the one being read', async () => {
    const tag = unique('ferry');
    const source = await anArticle(t, { status: 'published', tags: [tag] });
    const related = await anArticle(t, { status: 'published', tags: [tag] });
    const res = await t.anonymous.get(
      `/api/v1/recommendations?clientId=${unique('new')}&articleId=${source.slug}`,
    );
    expect(res.status).toBe(200);
    expect(list(res)[0]).toEqual([related.slug, 'related']);
    expect(list(res).map((i) => i[0])).not.toContain(source.slug);
    expect(res.body.data.length).toBeLessThanOrEqual(5);
  });

  it('bad input is 400; an unknown article is 404', async () => {
    expectProblem(await t.anonymous.get(`/api/v1/recommendations?clientId=${'x'.repeat(129)}`), 400);
    expectProblem(await t.anonymous.get(`/api/v1/recommendations?limit=101`), 400);
    expectProblem(await t.anonymous.get(`/api/v1/recommendations?section=Bad%20Slug`), 400);
    expectProblem(await t.anonymous.get(`/api/v1/recommendations?articleId=no-such-article-at-all`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/recommendations?articleId=%20%20`), 400);
  });
});
