import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { ImportItem } from '../../src/imports/import-line';
import { detectFormat, parseImport } from '../../src/imports/parsers';
import { postImport } from '../support/imports';
import { startTestApp, type TestApp } from '../support/test-app';

const FIXTURES = resolve(__dirname, '../fixtures/imports');
const REFERENCE = resolve(process.cwd(), '../shared/reference-data');
const referenceFiles = existsSync(REFERENCE)
  ? readdirSync(REFERENCE).filter((f) => f.endsWith('.xml') || f.endsWith('.json'))
  : [];
if (!referenceFiles.length) console.log(`reference-data imports skipped: ${REFERENCE} is absent or empty`);

const typeOf = (file: string) =>
  file.endsWith('.ninjs.json') || file.startsWith('ninjs')
    ? 'application/vnd.iptc.ninjs+json'
    : file.includes('rss')
      ? 'application/rss+xml'
      : file.includes('atom')
        ? 'application/atom+xml'
        : 'application/xml';

/** What the parser makes of a file: the expectations the REST import is checked against. */
async function parsed(body: string, contentType: string): Promise<ImportItem[]> {
  const format = detectFormat(contentType, body.slice(0, 65536));
  if (!format) throw new Error('no format');
  const items: ImportItem[] = [];
  for await (const item of parseImport(format, Readable.from([body]))) items.push(item);
  return items;
}

describe('POST /imports: RSS, Atom, WordPress WXR and ninjs', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  async function importAndCheck(body: string, contentType: string) {
    const items = await parsed(body, contentType);
    const inputs = items.filter((i) => i.input);
    const first = await postImport(t.editor, body, contentType, '?createSections=true');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      dryRun: false,
      skipped: items.filter((i) => i.skipped).length,
      failed: items.filter((i) => i.error).length,
    });
    expect(first.body.created + first.body.updated + first.body.unchanged).toBe(inputs.length);
    for (const item of inputs) {
      const input = item.input!;
      const [row] = await db.query(`SELECT id FROM articles WHERE external_id = $1`, [input.externalId]);
      const article = (await t.editor.get(`/api/v1/articles/${row.id}`)).body;
      expect(article).toMatchObject({
        externalId: input.externalId,
        title: input.title,
        ...(input.byline ? { byline: input.byline } : {}),
        ...(input.dateline ? { dateline: input.dateline } : {}),
        ...(input.source ? { source: input.source } : {}),
        ...(input.slug ? { slug: input.slug } : {}),
        ...(input.publishedAt && input.status !== 'draft' ? { publishedAt: input.publishedAt } : {}),
      });
      expect(article.tags.map((x: { slug: string }) => x.slug)).toEqual(
        (input.tags ?? []).map((x) => x.slug),
      );
      if (input.section) expect(JSON.stringify(article.section)).toContain(input.section);
      expect(article.bodyHtml).not.toMatch(/<script|onerror|onclick|javascript:/i);
    }
    const again = await postImport(t.editor, body, contentType, '?createSections=true');
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: inputs.length });
    return { items, inputs };
  }

  it.each(['feed.rss.xml', 'feed.atom.xml', 'export.wxr.xml', 'wire.ninjs.json'])(
    'fixture %s: the right fields, sanitised HTML, non-ASCII intact; imported again: unchanged',
    async (file) => {
      const body = readFileSync(join(FIXTURES, file), 'utf8');
      const { inputs } = await importAndCheck(body, typeOf(file));
      expect(inputs.length).toBeGreaterThan(0);
      // The fixtures' non-ASCII text (Korean, typographic quotes) survives the round trip.
      const titles: { title: string }[] = await db.query(
        `SELECT title FROM articles WHERE external_id = ANY($1)`,
        [inputs.map((i) => i.externalId)],
      );
      expect(titles.some((r) => /[^\x00-\x7f]/.test(r.title))).toBe(true);
    },
  );

  (referenceFiles.length ? it.each(referenceFiles) : it.skip.each(['(none)']))(
    'reference data %s imports with 0 failures and the contract mappings',
    async (file) => {
      const body = readFileSync(join(REFERENCE, file), 'utf8');
      const { items } = await importAndCheck(body, typeOf(file));
      expect(items.filter((i) => i.error)).toEqual([]);
    },
  );

  it('XML with an external entity or a billion-laughs expansion is refused or inert', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><guid>xxe-1</guid><title>&xxe;</title><description>d</description></item></channel></rss>`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rss version="2.0"><channel><title>x</title><item><guid>laughs-1</guid><title>&d;</title><description>d</description></item></channel></rss>`;
    for (const body of [xxe, laughs]) {
      const answer = await postImport(t.editor, body, 'application/rss+xml');
      expect([200, 400]).toContain(answer.status);
      expect(answer.text).not.toMatch(/root:|aaaaaaaaaaaaaaaaaaaa/);
    }
    const rows: { title: string }[] = await db.query(
      `SELECT title FROM articles WHERE external_id IN ('xxe-1', 'laughs-1')`,
    );
    for (const r of rows) expect(r.title).not.toMatch(/root:|aaaaaaaaaaaaaaaaaaaa/);
  });
});
