import Parser from 'rss-parser';
import { aSection, anArticle, published } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { jsonFeedErrors } from '../support/json-feed';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { usingEmbeddedDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/** A reader's feed parser, as aggregators and feed readers use it (RSS 2.0 and Atom). */
const parser = new Parser<
  Record<string, never>,
  { 'content:encoded'?: string; id?: string; author?: string }
>({
  customFields: { item: ['content:encoded'] },
});
const HERO = {
  url: 'https://img.example/harbour.webp',
  alt: 'The harbour at dawn',
  width: 1280,
  height: 720,
};

describe('Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A section with a public story (two authors' byline, a hero image, tags) and the stories the public must not see. */
  async function newsroom() {
    const section = await aSection(t, 'World');
    const child = await aSection(t, 'Asia', section);
    const tag = unique('ferries');
    const story = await anArticle(
      t,
      published({
        section: child,
        tags: [tag],
        byline: 'Min-ji Park',
        excerpt: 'Ferries left Incheon at dawn <after> the storm.',
        heroImage: HERO,
        bodyText: 'Ferries left Incheon at dawn.\n\nThe port had been closed for three days.',
      }),
    );
    const draft = await anArticle(t, { section, tags: [tag] });
    const scheduled = await anArticle(
      t,
      published({ section, tags: [tag], publishedAt: new Date(Date.now() + 3_600_000).toISOString() }),
    );
    const trashed = await anArticle(t, published({ section, tags: [tag] }));
    expect((await t.editor.delete(`/api/v1/articles/${trashed.id}`)).status).toBe(204);
    const unpublished = await anArticle(t, published({ section, tags: [tag] }));
    expect((await t.editor.post(`/api/v1/articles/${unpublished.id}/unpublish`)).status).toBe(200);
    return { section, child, tag, story, hidden: [draft, scheduled, trashed, unpublished] };
  }

  it("a section's feed in every format parses as readers parse it, with the public stories only", async () => {
    const { section, story, hidden } = await newsroom();

    const rssRes = await t.anonymous.get(`/api/v1/feeds/section/${section}.rss`);
    expect(rssRes.status).toBe(200);
    expect(rssRes.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
    const rss = await parser.parseString(rssRes.text);
    expect(rss.title).toContain('World');
    expect(rss.items.map((i) => i.link)).toEqual([story.url]);
    const [ri] = rss.items;
    expect(ri.title).toBe(story.title);
    expect(ri.guid).toBe(`urn:uuid:${story.id}`);
    expect(new Date(ri.isoDate as string).toISOString()).toBe(
      new Date(story.publishedAt).toISOString().replace(/\.\d+Z$/, '.000Z'),
    );
    expect(ri.enclosure).toMatchObject({ url: HERO.url, type: 'image/webp' });
    expect(ri.content).toBe('Ferries left Incheon at dawn &lt;after&gt; the storm.');
    expect(ri['content:encoded']).toBeUndefined();
    expect(ri.categories).toEqual(expect.arrayContaining(['Asia']));

    const atomRes = await t.anonymous.get(`/api/v1/feeds/section/${section}.atom`);
    expect(atomRes.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const atom = await parser.parseString(atomRes.text);
    expect(atom.items.map((i) => i.link)).toEqual([story.url]);
    expect(atom.items[0].id).toBe(`urn:uuid:${story.id}`);
    expect(atom.items[0].author).toBe('Min-ji Park');

    const jsonRes = await t.anonymous.get(`/api/v1/feeds/section/${section}.json`);
    expect(jsonRes.headers.get('content-type')).toMatch(/^application\/feed\+json/);
    expect(jsonFeedErrors(jsonRes.body)).toEqual([]);
    expect(jsonRes.body.language).toBe('en');
    expect(jsonRes.body.items).toEqual([
      expect.objectContaining({
        id: `urn:uuid:${story.id}`,
        url: story.url,
        title: story.title,
        image: HERO.url,
        authors: [{ name: 'Min-ji Park' }],
        date_published: story.publishedAt,
      }),
    ]);

    // Nothing the public may not see, in any feed.
    for (const path of ['latest.rss', 'latest.atom', 'latest.json', `section/${section}.json`]) {
      const text = (await t.anonymous.get(`/api/v1/feeds/${path}`)).text;
      for (const h of hidden) expect(text).not.toContain(h.id);
    }
  });

  it('full=true carries the whole body; tag and author feeds pick their stories', async () => {
    const { tag, story } = await newsroom();
    const full = await parser.parseString(
      (await t.anonymous.get(`/api/v1/feeds/tag/${tag}.rss?full=true`)).text,
    );
    expect(full.items.map((i) => i.link)).toEqual([story.url]);
    expect(full.items[0]['content:encoded']).toBe(story.bodyHtml);
    const json = (await t.anonymous.get(`/api/v1/feeds/tag/${tag}.json?full=true`)).body;
    expect(jsonFeedErrors(json)).toEqual([]);
    expect(json.items[0]).toMatchObject({ content_html: story.bodyHtml, summary: expect.any(String) });

    const byAuthor = (await t.anonymous.get('/api/v1/feeds/author/min-ji-park.json')).body;
    expect(jsonFeedErrors(byAuthor)).toEqual([]);
    expect(byAuthor.title).toContain('Min-ji Park');
    expect(byAuthor.items.map((i: { id: string }) => i.id)).toContain(`urn:uuid:${story.id}`);

    const latest = await parser.parseString((await t.anonymous.get('/api/v1/feeds/latest.atom')).text);
    expect(latest.items[0].link).toBe(story.url);
  });

  it('carries the newest 50 stories, newest first', async () => {
    const section = await aSection(t, 'Sport');
    const ids: string[] = [];
    for (let i = 0; i < 52; i++) {
      const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
      ids.push((await anArticle(t, published({ section, publishedAt: at, bodyText: `Match ${i}.` }))).id);
    }
    const feed = (await t.anonymous.get(`/api/v1/feeds/section/${section}.json`)).body;
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual(
      ids
        .reverse()
        .slice(0, 50)
        .map((id) => `urn:uuid:${id}`),
    );
  });

  it('is cacheable like the other public answers: ETag, 304, Cache-Control, Surrogate-Key', async () => {
    const { section, story } = await newsroom();
    const path = `/api/v1/feeds/section/${section}.atom`;
    const first = await t.anonymous.get(path);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    expect(first.headers.get('surrogate-key')?.split(' ')).toEqual(
      expect.arrayContaining(['articles', `section:${section}`, `article:${story.id}`]),
    );
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"/);
    expect((await t.anonymous.get(path)).headers.get('etag')).toBe(etag);
    expect((await t.anonymous.get(path, { 'if-none-match': etag })).status).toBe(304);
    // An editor's answer is their own.
    expect((await t.editor.get(path)).headers.get('cache-control')).toBe('private, no-store');
  });

  it('a new story is in its section feed on the next read; a story taken down leaves it', async () => {
    const { section, child, story } = await newsroom();
    const path = `/api/v1/feeds/section/${section}.json`;
    const ids = async () => (await t.anonymous.get(path)).body.items.map((i: { id: string }) => i.id);
    expect(await ids()).toEqual([`urn:uuid:${story.id}`]);
    const next = await anArticle(t, published({ section: child }));
    expect(await ids()).toEqual([`urn:uuid:${next.id}`, `urn:uuid:${story.id}`]);
    expect((await t.editor.post(`/api/v1/articles/${next.id}/unpublish`)).status).toBe(200);
    expect(await ids()).toEqual([`urn:uuid:${story.id}`]);
  });

  it('refuses an unknown locale, format, kind, section or tag with a problem', async () => {
    const { section } = await newsroom();
    expect((await t.anonymous.get(`/api/v1/feeds/section/${section}.rss?locale=en`)).status).toBe(200);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/section/${section}.rss?locale=fr`), 400);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/section/${section}.rss?full=yes`), 400);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/section/${section}.xml`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/latest.txt`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/category/${section}.rss`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/section/${unique('nowhere')}.rss`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/tag/${unique('nothing')}.rss`), 404);
    expectProblem(await t.anonymous.get(`/api/v1/feeds/author/${unique('nobody')}.rss`), 404);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
const twoInstances = !usingEmbeddedDatabase() && redisUrl ? describe : describe.skip;

twoInstances('Feeds on two instances sharing PostgreSQL and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ redisUrl });
    b = await startTestApp({ redisUrl });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('a story published on one instance is in the feed the other one serves on its next read', async () => {
    // B's clock stands still (a minute ahead, so A's new stories are already public there): its
    // cached feed cannot expire, only the invalidation can drop it.
    b.clock.set(Date.now() + 60_000);
    const section = await aSection(a, 'Politics');
    const first = await anArticle(a, published({ section }));
    const ids = async () =>
      (await b.anonymous.get(`/api/v1/feeds/section/${section}.json`)).body.items.map(
        (i: { id: string }) => i.id,
      );
    expect(await ids()).toEqual([`urn:uuid:${first.id}`]);
    const second = await anArticle(a, published({ section }));
    // The write's invalidation reaches B over Redis.
    await waitFor('the new story in the feed B serves', async () => {
      const got = await ids();
      return got.length === 2 ? got : undefined;
    }).then((got) => expect(got).toEqual([`urn:uuid:${second.id}`, `urn:uuid:${first.id}`]));
  });
});
