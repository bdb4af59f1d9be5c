import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ImportItem } from '../import-line';
import { parseImport, type ImportSource } from './index';

async function collect(source: ImportSource): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of parseImport('ninjs', source)) out.push(item);
  return out;
}
const fixture = () => createReadStream(resolve(__dirname, '../../../test/fixtures/imports/wire.ninjs.json'));

describe('IPTC ninjs', () => {
  it('maps a 3.x item: uri, main and sub headline, html body, by, located, copyrightHolder, subjects, slugline', async () => {
    const [item] = await collect(fixture());
    expect(item).toEqual({
      line: 1,
      externalId: 'urn:newsml:wire.example.org:20261129:seoul-summit',
      input: {
        externalId: 'urn:newsml:wire.example.org:20261129:seoul-summit',
        slug: 'seoul-summit-2026',
        title: '서울 정상회담 — “A new chapter”',
        subtitle: 'Leaders agree on next steps',
        dateline: 'SEOUL, South Korea',
        byline: 'Kim Min-ji and Jo Ha-eun',
        source: 'Dateline Wire',
        excerpt: 'Leaders met — and agreed.',
        bodyHtml:
          '<p>SEOUL — Talks “went well”.</p><script>alert(1)</script>' +
          '<p><img src="https://img.example.org/s.jpg" onerror="alert(2)">정상회담</p>',
        tags: [
          { slug: 'politics', name: 'Politics' },
          { slug: expect.stringMatching(/^tag-[0-9a-f]{12}$/), name: '정치' },
          { slug: 'medtop20000621', name: 'medtop:20000621' },
        ],
        status: 'published',
        publishedAt: '2026-11-28T23:00:00.000Z',
      },
    });
  });

  it('maps a 1.x/2.x item with lower-case keys; withheld becomes a draft', async () => {
    const [, item] = await collect(fixture());
    expect(item.input).toEqual({
      externalId: 'urn:newsml:wire.example.org:20261128:markets',
      title: 'Markets — “steady”',
      dateline: 'LONDON',
      byline: 'Business Desk',
      source: 'Wire Markets',
      bodyHtml: '<p>Shares rose.</p><img src=x onerror=alert(1)>',
      status: 'draft',
      publishedAt: '2026-11-28T21:00:00.000Z',
    });
  });

  it('skips non-text and canceled items and reports an item without a headline', async () => {
    const all = await collect(fixture());
    expect(all.slice(2)).toEqual([
      { line: 3, externalId: 'urn:newsml:wire.example.org:20261129:photo', skipped: true },
      { line: 4, externalId: 'urn:newsml:wire.example.org:20261129:killed', skipped: true },
      {
        line: 5,
        externalId: 'urn:newsml:wire.example.org:20261129:no-headline',
        error: 'title: must not be empty',
      },
    ]);
  });

  it('rejects a broken document as a whole', async () => {
    const broken = '{\n  "uri": "urn:x",\n  "headlines": [\n';
    await expect(collect(Readable.from([Buffer.from(broken)]))).rejects.toMatchObject({
      code: 'MALFORMED_BODY',
    });
  });

  it('reads NDJSON of items, with per-line errors and forbidden keys refused', async () => {
    const lines = [
      JSON.stringify({ uri: 'urn:a', headlines: [{ role: 'main', value: 'A' }] }),
      '',
      '{"uri": "urn:b", "headline": ',
      '{"uri": "urn:c", "headline": "C", "__proto__": {"polluted": "yes"}}',
    ].join('\n');
    const all = await collect(Readable.from([Buffer.from(lines)]));
    expect(all.map((i) => [i.line, i.input?.title ?? i.error?.split(':')[0]])).toEqual([
      [1, 'A'],
      [3, 'malformed JSON'],
      [4, 'forbidden key (__proto__ or constructor.prototype)'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
