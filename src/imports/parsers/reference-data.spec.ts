import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportItem } from '../import-line';
import { detectFormat, parseImport, type ImportFormat } from './index';

/**
 * Real exports written by other software (../shared/reference-data, next to the checkout).
 * They are never copied into the repository; without the folder these tests skip.
 */
const DIR = resolve(process.cwd(), '../shared/reference-data');
const present = existsSync(DIR);
if (!present) console.log(`reference-data tests skipped: ${DIR} is absent`);
const describeData = present ? describe : describe.skip;

async function parseFile(file: string): Promise<{ format: ImportFormat; items: ImportItem[] }> {
  const path = join(DIR, file);
  const contentType = file.endsWith('.xml') ? 'application/xml' : 'application/vnd.iptc.ninjs+json';
  const format = detectFormat(contentType, readFileSync(path).subarray(0, 65536));
  if (!format) throw new Error(`no format detected for ${file}`);
  const items: ImportItem[] = [];
  for await (const item of parseImport(format, createReadStream(path))) items.push(item);
  return { format, items };
}

const byName = (file: string) => (present ? readdirSync(DIR).includes(file) : false);

describeData('reference data', () => {
  const files = present ? readdirSync(DIR).filter((f) => f.endsWith('.xml') || f.endsWith('.json')) : [];

  it.each(files)('%s parses with no error items', async (file) => {
    const { items } = await parseFile(file);
    expect(items.filter((i) => i.error)).toEqual([]);
    expect(items.filter((i) => i.input).length).toBeGreaterThan(0);
    for (const item of items.filter((i) => i.input)) {
      expect(item.input?.title.length).toBeGreaterThan(0);
      expect(item.externalId).toBeTruthy();
    }
  });

  (byName('wxr-valid-1.1.xml') ? it : it.skip)(
    'wxr-valid-1.1.xml: the post imports, the page is skipped',
    async () => {
      const { format, items } = await parseFile('wxr-valid-1.1.xml');
      expect(format).toBe('wxr');
      expect(items).toHaveLength(2);
      expect(items[0].input).toMatchObject({
        externalId: 'http://localhost/?p=1',
        slug: 'hello-world',
        title: 'Hello world!',
        byline: 'John Doe',
        section: 'alpha',
        tags: [{ slug: 'clippable', name: 'Clippable' }],
        status: 'published',
        publishedAt: '2010-10-16T20:53:18.000Z',
      });
      expect(items[1]).toEqual({ line: 2, externalId: 'http://localhost/?page_id=2', skipped: true });
    },
  );

  (byName('wxr-utf-8-challenges.xml') ? it : it.skip)(
    'wxr-utf-8-challenges.xml: hard Unicode survives',
    async () => {
      const { items } = await parseFile('wxr-utf-8-challenges.xml');
      const input = items[0].input!;
      expect(input.title).toBe('"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c');
      expect(input.externalId).toContain('?p=1&test=💫');
      expect(input.section).toBe('uncategorized');
      expect(input.sectionName).toContain('🎭');
      expect(input.bodyHtml).not.toContain('<!-- wp:');
      expect(input.bodyHtml).toContain('السلام عليكم');
      expect(input.publishedAt).toBe('2024-06-05T16:04:48.000Z');
    },
  );

  (byName('ninjs-2.1-dpa_text.json') ? it : it.skip)('ninjs 2.1 (dpa): lower-case keys', async () => {
    const { items } = await parseFile('ninjs-2.1-dpa_text.json');
    expect(items[0].input).toMatchObject({
      externalId: 'urn:newsml:dpa.com:20090101:190510-99-167362',
      title: 'Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?',
      byline: 'Von Christian Hollmann, dpa',
      source: 'dpa',
      status: 'published',
      publishedAt: '2019-05-10T14:02:28.000Z',
    });
    expect(items[0].input?.bodyHtml).toMatch(/^<section class="main"><p>Für Lucien Favre/);
  });

  (byName('ninjs-3.0-ntb_text.json') ? it : it.skip)(
    'ninjs 3.0 (NTB): descriptions, subjects, slugline',
    async () => {
      const { items } = await parseFile('ninjs-3.0-ntb_text.json');
      expect(items[0].input).toEqual({
        externalId: 'urn:8d19cf88-b3ab-4972-8fec-1207599f2872',
        slug: 'skien-google',
        title: 'Google har kjøpt giganttomt i Skien',
        byline: 'NTB',
        source: 'NTB',
        bodyText:
          'IT-giganten Google har kjøpt en tomt på nærmere 2.000 mål i Skien i tilfelle det blir behov for flere datasentre i Europa.',
        tags: [
          { slug: 'innenriks', name: 'Innenriks' },
          { slug: 'teknologi', name: 'Teknologi' },
          { slug: 'industri', name: 'Industri' },
          { slug: 'olje-og-energi', name: 'Olje og energi' },
        ],
        status: 'published',
        publishedAt: '2019-08-09T09:30:04.000Z',
      });
    },
  );

  (byName('ninjs-3.0-ninjsExSimpleText_3.json') ? it : it.skip)(
    'ninjs 3.0 simple text: HTML body',
    async () => {
      const { items } = await parseFile('ninjs-3.0-ninjsExSimpleText_3.json');
      expect(items[0].input).toMatchObject({
        externalId: 'http://ninjs.example.com/newsitems/20130709simp123',
        title: 'Captain of wrecked cruise ship on trial in Italy',
        byline: "Paulo Santalucia and Frances d'Emilio",
        publishedAt: '2013-07-09T10:37:00.000Z',
      });
      expect(items[0].input?.bodyHtml).toMatch(/^<p>GROSSETO, Italy \(AP\)/);
    },
  );

  (byName('ninjs-3.1-005_complex_text_article.json') ? it : it.skip)(
    'ninjs 3.1: located → dateline',
    async () => {
      const { items } = await parseFile('ninjs-3.1-005_complex_text_article.json');
      expect(items[0].input).toMatchObject({
        externalId: 'http://ninjs.example.com/newsitems/20130709med123',
        title: 'Captain of wrecked cruise ship on trial in Italy',
        dateline: 'Grossetto, Italy',
        byline: "Paulo Santalucia and Frances d'Emilio",
      });
      expect(items[0].input?.bodyHtml).toMatch(/^<p>GROSSETO/);
    },
  );
});
