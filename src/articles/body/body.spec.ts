import { htmlToBlocks } from './html-to-blocks';
import { bodyFromInput, makeExcerpt, normalizeBlocks, renderBody } from './normalize';
import { renderHtml } from './render';
import { XSS_VECTORS } from '../../../test/support/xss-vectors';

const DANGEROUS =
  /<script|<svg|<iframe|<object|<embed|<style|<math|<form|<meta|<base|\son\w+\s*=|javascript:|vbscript:|data:|style=/i;

describe('body conversion', () => {
  it.each(XSS_VECTORS)('leaves nothing executable of %s', (html) => {
    const body = renderBody(htmlToBlocks(html));
    expect(body.bodyHtml).not.toMatch(DANGEROUS);
    expect(JSON.stringify(body.body)).not.toMatch(/<script|javascript:|\son\w+\s*=|data:/i);
    // Rendering the rendered HTML again changes nothing: what comes out is already clean.
    expect(renderBody(htmlToBlocks(body.bodyHtml)).bodyHtml).toBe(body.bodyHtml);
  });

  it('has at least 15 vectors', () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(15);
  });

  it('keeps block structure and the inline allowlist', () => {
    const blocks = htmlToBlocks(
      '<h1>Top</h1><p>Hello <strong>world</strong> <a href="https://example.com/a?b=1&amp;c=2" target="_blank">link</a></p>' +
        '<blockquote><p>We will rebuild.</p><cite>The mayor</cite></blockquote><ul><li>one</li><li><em>two</em></li></ul>' +
        '<figure><img src="https://img.example/x.jpg" alt="A harbour"><figcaption>The harbour at dawn</figcaption></figure>',
    );
    expect(blocks).toEqual([
      { type: 'heading', level: 2, text: 'Top' },
      { type: 'paragraph', text: 'Hello <b>world</b> <a href="https://example.com/a?b=1&amp;c=2">link</a>' },
      { type: 'quote', text: 'We will rebuild.', cite: 'The mayor' },
      { type: 'list', ordered: false, items: ['one', '<i>two</i>'] },
      { type: 'image', url: 'https://img.example/x.jpg', alt: 'A harbour', caption: 'The harbour at dawn' },
    ]);
  });

  it('round-trips Unicode byte for byte', () => {
    const text = '“Curly” quotes — em dashes… and Hangul: 서울 한국어; emoji 🗞️';
    const fromText = renderBody(bodyFromInput({ bodyText: `${text}\n\nSecond “para”.` })!.blocks);
    expect(fromText.bodyText).toBe(`${text}\n\nSecond “para”.`);
    expect(fromText.bodyHtml).toContain(text);
    const fromHtml = renderBody(htmlToBlocks(`<p>${text}</p>`));
    expect(fromHtml.bodyText).toBe(text);
    expect(Buffer.from(fromHtml.bodyText, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('plain text survives markup characters', () => {
    const body = renderBody(
      bodyFromInput({ bodyText: 'AT&T said 2 < 3 and "quoted" <b>not bold</b>' })!.blocks,
    );
    expect(body.bodyText).toBe('AT&T said 2 < 3 and "quoted" <b>not bold</b>');
    expect(body.bodyHtml).toBe('<p>AT&amp;T said 2 &lt; 3 and "quoted" &lt;b&gt;not bold&lt;/b&gt;</p>');
  });

  it('checks JSON blocks field by field and cleans their text', () => {
    const { blocks, errors } = normalizeBlocks([
      { type: 'paragraph', text: 'ok <script>x</script><a href="javascript:1">y</a>' },
      { type: 'heading', level: 7, text: 'bad level' },
      { type: 'image', url: 'javascript:alert(1)' },
      { type: 'nope' },
    ]);
    expect(blocks).toEqual([{ type: 'paragraph', text: 'ok y' }]);
    expect(errors.map((e) => e.path)).toEqual(['body[1].level', 'body[2].url', 'body[3].type']);
    expect(renderHtml(blocks)).toBe('<p>ok y</p>');
  });

  it('refuses two body forms at once', () => {
    expect(bodyFromInput({ bodyText: 'a', bodyHtml: '<p>b</p>' })!.errors).toHaveLength(1);
  });

  it('cuts the excerpt at a word boundary', () => {
    const long = 'word '.repeat(80).trim();
    const excerpt = makeExcerpt([{ type: 'paragraph', text: long }])!;
    expect(excerpt.length).toBeLessThanOrEqual(201);
    expect(excerpt.endsWith('word…')).toBe(true);
    expect(
      makeExcerpt([
        { type: 'heading', level: 2, text: 'x' },
        { type: 'paragraph', text: 'Short.' },
      ]),
    ).toBe('Short.');
  });
});
