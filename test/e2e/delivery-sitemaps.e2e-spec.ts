import { XMLParser } from 'fast-xml-parser';
import { aSection, anArticle, published } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { sitemapXsdErrors } from '../support/sitemap-xsd';
import { startTestApp, type TestApp } from '../support/test-app';

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['url', 'sitemap'].includes(name) });
/** A W3C datetime as sitemaps and Google News take it (https://www.w3.org/TR/NOTE-datetime). */
const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const HOUR = 3_600_000;

type UrlEntry = {
  loc: string;
  lastmod?: string;
  'news:news'?: {
    'news:publication': { 'news:name': string; 'news:language': string };
    'news:publication_date': string;
    'news:title': string;
  };
};

/**
 * The sitemaps list the whole site, so these tests place their stories in months and hours no
 * other test publishes in (and a sitemap limit of 3 URLs, to see a month split).
 */
describe('Sitemaps', () => {
  let t: TestApp;
  const site = 'https://news.example.com';
  beforeAll(async () => {
    t = await startTestApp({
      site: {
        url: site,
        articleUrlTemplate: '/{section}/{slug}',
        name: 'The Example Times',
        defaultLocale: 'en',
        sitemapMaxUrls: 3,
      },
    });
  });
  afterAll(() => t.close());

  const get = async (name: string) => {
    const res = await t.anonymous.get(`/api/v1/sitemaps/${name}`);
    expect({ name, status: res.status, type: res.headers.get('content-type') }).toEqual({
      name,
      status: 200,
      type: 'application/xml; charset=utf-8',
    });
    return res;
  };
  const urlsOf = (text: string): UrlEntry[] =>
    (xml.parse(text) as { urlset: { url?: UrlEntry[] } }).urlset.url ?? [];

  it('an index of monthly sitemaps, each valid against the sitemap XSD with lastmod, at most the limit per file', async () => {
    const section = await aSection(t, 'Archive');
    const march: { url: string; slug: string }[] = [];
    for (let day = 1; day <= 4; day++)
      march.push(await anArticle(t, published({ section, publishedAt: `2024-03-0${day}T12:00:00.000Z` })));
    const april = await anArticle(t, published({ section, publishedAt: '2024-04-30T23:59:59.000Z' }));
    const draft = await anArticle(t, { section });

    const index = xml.parse((await get('index.xml')).text) as {
      sitemapindex: { '@_xmlns': string; sitemap: { loc: string; lastmod?: string }[] };
    };
    expect(index.sitemapindex['@_xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = index.sitemapindex.sitemap.map((s) => s.loc);
    expect(locs).toEqual(
      expect.arrayContaining([
        `${site}/api/v1/sitemaps/news.xml`,
        `${site}/api/v1/sitemaps/articles-2024-04.xml`,
        `${site}/api/v1/sitemaps/articles-2024-03.xml`,
        `${site}/api/v1/sitemaps/articles-2024-03-2.xml`,
      ]),
    );
    for (const s of index.sitemapindex.sitemap.filter((x) => x.loc.includes('articles-')))
      expect(s.lastmod).toMatch(W3C_DATETIME);

    const first = (await get('articles-2024-03.xml')).text;
    const second = (await get('articles-2024-03-2.xml')).text;
    const aprilXml = (await get('articles-2024-04.xml')).text;
    for (const doc of [first, second, aprilXml]) expect(await sitemapXsdErrors(doc)).toEqual([]);
    expect(urlsOf(first).map((u) => u.loc)).toEqual(march.slice(0, 3).map((a) => a.url));
    expect(urlsOf(second).map((u) => u.loc)).toEqual([march[3].url]);
    expect(urlsOf(aprilXml)).toEqual([{ loc: april.url, lastmod: april.updatedAt }]);
    for (const u of urlsOf(first)) expect(u.lastmod).toMatch(W3C_DATETIME);
    expect(first + second + aprilXml).not.toContain(draft.slug);

    expectProblem(await t.anonymous.get('/api/v1/sitemaps/articles-2023-01.xml'), 404);
    expectProblem(await t.anonymous.get('/api/v1/sitemaps/articles-2024-13.xml'), 404);
    expectProblem(await t.anonymous.get('/api/v1/sitemaps/sitemap.txt'), 404);
  });

  it("news.xml follows Google's rules: exactly the last 48 hours by the clock, required children, W3C dates", async () => {
    const now = Date.parse('2026-06-10T12:00:00.000Z');
    t.clock.set(now);
    const section = await aSection(t, 'Politics');
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const fresh = await anArticle(
      t,
      published({ section, title: 'Vote count & <recount>', publishedAt: at(HOUR) }),
    );
    const edge = await anArticle(t, published({ section, publishedAt: at(48 * HOUR - 60_000) }));
    const old = await anArticle(t, published({ section, publishedAt: at(48 * HOUR + 60_000) }));

    const text = (await get('news.xml')).text;
    expect(await sitemapXsdErrors(text)).toEqual([]);
    // The schema check is strict: an entry without its title fails it.
    expect(await sitemapXsdErrors(text.replace(/<news:title>.*?<\/news:title>/, ''))).not.toEqual([]);
    const doc = xml.parse(text) as { urlset: { '@_xmlns:news': string } };
    expect(doc.urlset['@_xmlns:news']).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const urls = urlsOf(text);
    expect(urls.length).toBeLessThanOrEqual(1000);
    expect(urls.map((u) => u.loc)).toEqual([fresh.url, edge.url]);
    expect(text).not.toContain(old.slug);
    for (const u of urls) {
      const news = u['news:news'];
      expect(news?.['news:publication']).toEqual({ 'news:name': 'The Example Times', 'news:language': 'en' });
      expect(news?.['news:publication_date']).toMatch(W3C_DATETIME);
      expect(now - Date.parse(news?.['news:publication_date'] as string)).toBeLessThanOrEqual(48 * HOUR);
    }
    expect(urls[0]['news:news']?.['news:title']).toBe('Vote count & <recount>');

    // Two days on, by the clock alone, the same stories have left it.
    t.clock.set(now + 48 * HOUR);
    // The cached sitemap lives a second of the clock at most.
    t.clock.advance(1_001);
    expect(urlsOf((await get('news.xml')).text).map((u) => u.loc)).toEqual([]);
  });
});
