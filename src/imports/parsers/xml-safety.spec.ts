import { Readable } from 'node:stream';
import type { ImportItem } from '../import-line';
import { parseImport, type ImportFormat } from './index';

async function run(format: ImportFormat, xml: string): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of parseImport(format, Readable.from([Buffer.from(xml)]))) out.push(item);
  return out;
}

const XXE_FILE = 'file:///etc/passwd';
const rss = (doctype: string, title: string) =>
  `<?xml version="1.0"?>${doctype}<rss version="2.0"><channel><item><guid>g1</guid><title>${title}</title>` +
  `<description>body ${title}</description></item></channel></rss>`;
const atom = (doctype: string, title: string) =>
  `<?xml version="1.0"?>${doctype}<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e1</id>` +
  `<title>${title}</title><content type="html">${title}</content></entry></feed>`;
const wxr = (doctype: string, title: string) =>
  `<?xml version="1.0"?>${doctype}<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" ` +
  `xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item><guid>g1</guid>` +
  `<title>${title}</title><content:encoded>${title}</content:encoded>` +
  `<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>`;

const LAUGHS =
  '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => {
    const prev = i === 0 ? 'lol' : `lol${i}`;
    return `<!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
  }).join('') +
  ']>';

describe.each([
  ['rss', rss],
  ['atom', atom],
  ['wxr', wxr],
] as const)('%s: XML entities', (format, build) => {
  it('refuses an external entity (XXE) and reads no file', async () => {
    const doc = build(`<!DOCTYPE x [<!ENTITY e SYSTEM "${XXE_FILE}">]>`, '&e;');
    const outcome = await run(format, doc).then(
      (items) => JSON.stringify(items),
      (e: { code?: string }) => e.code,
    );
    expect(outcome).toBe('MALFORMED_BODY');
  });

  it('refuses a billion-laughs document without expanding it', async () => {
    await expect(run(format, build(LAUGHS, '&lol9;'))).rejects.toMatchObject({ code: 'MALFORMED_BODY' });
  });

  it('leaves undeclared or recursive entity references as inert text', async () => {
    const doc = build('<!DOCTYPE x [<!ENTITY a "&b;&b;">]>', 'T &a; end');
    const items = await run(format, doc);
    const text = JSON.stringify(items);
    expect(text).not.toContain('root:');
    expect(items[0].input?.title).toBe('T &a; end');
  });

  it('decodes the predefined entities and character references', async () => {
    const items = await run(format, build('', 'A &amp; B &#8212; &#xD55C;'));
    expect(items[0].input?.title).toBe('A & B — 한');
  });
});

it('rejects XML that is not well-formed', async () => {
  await expect(run('rss', '<rss><channel><item><title>x</item></channel></rss>')).rejects.toMatchObject({
    code: 'MALFORMED_BODY',
  });
  await expect(run('atom', rss('', 'x'))).rejects.toMatchObject({ code: 'MALFORMED_BODY' });
  await expect(run('wxr', rss('', 'x'))).rejects.toMatchObject({ code: 'MALFORMED_BODY' });
});
