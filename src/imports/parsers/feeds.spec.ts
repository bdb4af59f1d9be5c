import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportItem } from '../import-line';
import { parseImport, type ImportFormat, type ParseOptions } from './index';

const fixture = (name: string) =>
  createReadStream(resolve(__dirname, '../../../test/fixtures/imports', name));

async function collect(format: ImportFormat, name: string, options?: ParseOptions): Promise<ImportItem[]> {
  const items: ImportItem[] = [];
  for await (const item of parseImport(format, fixture(name), options)) items.push(item);
  return items;
}

describe('RSS 2.0', () => {
  it('maps guid, title, content:encoded, description, pubDate, categories and dc:creator', async () => {
    const items = await collect('rss', 'feed.rss.xml');
    expect(items.map((i) => i.line)).toEqual([1, 2, 3]);
    expect(items[0]).toEqual({
      line: 1,
      externalId: 'wire-2026-11-29-0001',
      input: {
        externalId: 'wire-2026-11-29-0001',
        title: '서울 정상회담 — “A new chapter” for the peninsula',
        byline: 'Kim Min-ji',
        excerpt: 'Leaders met in Seoul & agreed on “next steps”.',
        bodyHtml:
          '<p>SEOUL — Leaders met on Sunday. “It’s a new chapter,” one said.</p>' +
          "<script>alert('x')</script>" +
          '<p><img src="https://img.example.org/a.jpg" onerror="alert(1)" alt="회담">한국어 본문</p>',
        tags: [
          { slug: expect.stringMatching(/^tag-[0-9a-f]{12}$/), name: '정치' },
          { slug: 'world-news', name: 'World News' },
        ],
        status: 'published',
        publishedAt: '2026-11-28T23:15:00.000Z',
      },
    });
  });

  it('falls back to link for the externalId, description for the body and author for the byline', async () => {
    const [, second] = await collect('rss', 'feed.rss.xml');
    expect(second.input).toEqual({
      externalId: 'https://wire.example.org/2026/11/markets',
      title: 'Markets close higher',
      byline: 'Business Desk',
      bodyHtml: '<p>Stocks rose &amp; bonds fell.</p><p onclick="steal()">Second paragraph</p>',
      status: 'published',
      publishedAt: '2026-11-28T21:00:00.000Z',
    });
  });

  it('reports an item without a title as an error and goes on', async () => {
    const items = await collect('rss', 'feed.rss.xml');
    expect(items[2]).toEqual({ line: 3, externalId: 'wire-untitled', error: 'title: must not be empty' });
  });

  it('uses the status option and, when asked, the first category as the section', async () => {
    const [first] = await collect('rss', 'feed.rss.xml', { status: 'draft', categoryAsSection: true });
    expect(first.input).toMatchObject({ status: 'draft', sectionName: '정치' });
    expect(first.input?.section).toBe(first.input?.tags?.[0].slug);
  });

  it('gives the same tag slug to the same non-Latin name every time', async () => {
    const [a] = await collect('rss', 'feed.rss.xml');
    const [b] = await collect('rss', 'feed.rss.xml');
    expect(a.input?.tags?.[0].slug).toBe(b.input?.tags?.[0].slug);
  });
});

describe('Atom', () => {
  it('maps id, html title and content, summary, published, categories and authors', async () => {
    const items = await collect('atom', 'feed.atom.xml');
    expect(items[0]).toEqual({
      line: 1,
      externalId: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
      input: {
        externalId: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
        title: 'K-drama “Spring Night” returns — 봄밤',
        byline: 'Lee Ji-eun, Park Seo-jun',
        excerpt: 'A summary — with “quotes”.',
        bodyHtml:
          '<p>The series returns.</p><script>document.cookie</script><p>배우들이 돌아왔다 — again.</p>',
        tags: [
          { slug: 'culture', name: 'Culture' },
          { slug: 'television', name: 'television' },
        ],
        status: 'published',
        publishedAt: '2026-11-28T14:45:00.000Z',
      },
    });
  });

  it('keeps XHTML content as markup and falls back to updated for the date', async () => {
    const items = await collect('atom', 'feed.atom.xml');
    expect(items[1].input).toEqual({
      externalId: 'tag:example.org,2026:museum',
      title: 'Museum reopens',
      bodyHtml: '<p>Doors open at <b>nine</b> &amp; close late.</p><img src="x.png" onerror="alert(1)"/>',
      status: 'published',
      publishedAt: '2026-11-27T12:00:00.000Z',
    });
  });

  it('turns text content into bodyText', async () => {
    const items = await collect('atom', 'feed.atom.xml', { status: 'draft' });
    expect(items[2].input).toMatchObject({ bodyText: 'Line one & line two — plain.', status: 'draft' });
    expect(items[2].input?.bodyHtml).toBeUndefined();
  });
});
