import { Readable } from 'node:stream';
import type { ImportItem } from '../import-line';
import { parseImport, type ImportSource } from './index';

async function collect(source: ImportSource, format: 'ndjson' | 'json' = 'ndjson'): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const item of parseImport(format, source)) out.push(item);
  return out;
}
const text = (s: string) => Readable.from([Buffer.from(s)]);

describe('NDJSON', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted;
  });

  it('numbers physical lines from 1, ignores blank lines and reports bad lines without stopping', async () => {
    const body = [
      '{"title":"One","externalId":"e-1","slug":"one"}',
      '',
      '{"title": "Two", "externalId": "e-2"',
      '   ',
      '{"title":"","externalId":"e-3"}',
      '{"title":"Four","id":"5f0c…","viewCount":3,"colour":"red"}',
      '[1,2]',
      '{"title":"Six","section":"World News"}',
      '{"title":"Seven — 서울 “quoted”"}',
    ].join('\r\n');
    const items = await collect(text(body));
    expect(items.map((i) => i.line)).toEqual([1, 3, 5, 6, 7, 8, 9]);
    expect(items[0]).toEqual({
      line: 1,
      externalId: 'e-1',
      input: { title: 'One', externalId: 'e-1', slug: 'one' },
    });
    expect(items[1].error).toMatch(/^malformed JSON: /);
    expect(items[2]).toEqual({ line: 5, externalId: 'e-3', error: 'title: must not be empty' });
    expect(items[3].error).toBe('id: is read-only; viewCount: is read-only; colour: is not a known field');
    expect(items[4].error).toBe('(line): must be a JSON object');
    expect(items[5].error).toBe('section: must be lower-case letters, digits and single hyphens');
    expect(items[6].input).toEqual({ title: 'Seven — 서울 “quoted”' });
  });

  it('refuses __proto__ and constructor.prototype keys and changes no prototype', async () => {
    const body = [
      '{"title":"A","__proto__":{"polluted":"yes"}}',
      '{"title":"B","tags":[{"slug":"x","__proto__":{"polluted":"yes"}}]}',
      '{"title":"C","constructor":{"prototype":{"polluted":"yes"}}}',
      '{"title":"D"}',
    ].join('\n');
    const items = await collect(text(body));
    expect(items.map((i) => i.error ?? i.input?.title)).toEqual([
      'forbidden key (__proto__ or constructor.prototype)',
      'forbidden key (__proto__ or constructor.prototype)',
      'forbidden key (__proto__ or constructor.prototype)',
      'D',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(items[3].input)).toBe(Object.prototype);
  });

  it('reassembles lines and multi-byte characters split across chunks, and strips a BOM', async () => {
    const bytes = Buffer.from('\uFEFF{"title":"한국어 — one"}\n{"title":"two ✓"}\n');
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    const items = await collect(Readable.from(chunks));
    expect(items.map((i) => i.input?.title)).toEqual(['한국어 — one', 'two ✓']);
  });

  it('streams: items come out before the source ends', async () => {
    let produced = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        await Promise.resolve();
        produced++;
        yield Buffer.from(`{"title":"Line ${produced}"}\n`);
      }
    }
    const seen: number[] = [];
    for await (const item of parseImport('ndjson', endless())) {
      seen.push(item.line);
      if (seen.length === 5) break;
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(produced).toBeLessThan(10_000);
  });

  it('fails the import with MALFORMED_BODY when a line outgrows the line buffer', async () => {
    const body = Buffer.from(`{"title":"ok"}\n{"title":"${'x'.repeat(200)}"}\n`);
    const chunks = [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200].map((at) => body.subarray(at, at + 20));
    const items: ImportItem[] = [];
    const run = async () => {
      for await (const item of parseImport('ndjson', Readable.from(chunks), { maxLineBytes: 100 })) {
        items.push(item);
      }
    };
    await expect(run()).rejects.toMatchObject({
      code: 'MALFORMED_BODY',
      message: 'line 2 is longer than 100 characters',
    });
    expect(items.length).toBeLessThanOrEqual(1);
  });
});

describe('JSON array', () => {
  it('numbers items from 1 and reports each bad item on its own', async () => {
    const body = JSON.stringify([
      { title: 'First', status: 'published', publishedAt: '2026-11-29T09:00:00+09:00' },
      { title: 'Second', body: [{ type: 'heading', level: 7, text: 'x' }] },
      'not an object',
    ]);
    const items = await collect(text(body), 'json');
    expect(items).toEqual([
      { line: 1, input: { title: 'First', status: 'published', publishedAt: '2026-11-29T00:00:00.000Z' } },
      { line: 2, error: expect.stringMatching(/^body\.0\.level: /) },
      { line: 3, error: '(line): must be a JSON object' },
    ]);
  });

  it('refuses a forbidden key in one item only', async () => {
    const body = '[{"title":"A","__proto__":{"polluted":1}},{"title":"B"}]';
    const items = await collect(text(body), 'json');
    expect(items.map((i) => i.error ?? i.input?.title)).toEqual([
      'forbidden key (__proto__ or constructor.prototype)',
      'B',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a body that is not a JSON array', async () => {
    await expect(collect(text('{"title":"x"}'), 'json')).rejects.toMatchObject({ code: 'MALFORMED_BODY' });
    await expect(collect(text('[{"title":'), 'json')).rejects.toMatchObject({ code: 'MALFORMED_BODY' });
  });
});
