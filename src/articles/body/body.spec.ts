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
    expect(errors.map((e) => e.path)).toEqual(['body.1.level', 'body.2.url', 'body.3.type']);
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

  describe('one rule per block field, whatever arrives in it', () => {
    /** Every field of every block type, each set to the same value. */
    const everyField = (v: string) => [
      { type: 'paragraph', text: v },
      { type: 'heading', level: 2, text: v },
      { type: 'quote', text: v, cite: v },
      { type: 'list', ordered: true, items: [v, v] },
      { type: 'image', url: 'https://img.example/a.jpg', alt: v, caption: v, credit: v },
      { type: 'embed', url: 'https://video.example/v/1', provider: v },
    ];
    const ONLY_INLINE_TAGS = /<(?!\/?(b|i)>|a href="[^"<>]*">|\/a>)/;

    it.each(XSS_VECTORS)(
      'keeps nothing executable of %s in any field, and cleaning again changes nothing',
      (v) => {
        const { blocks, errors } = normalizeBlocks(everyField(v));
        expect(errors).toEqual([]);
        expect(JSON.stringify(blocks)).not.toMatch(DANGEROUS);
        expect(renderHtml(blocks)).not.toMatch(DANGEROUS);
        for (const b of blocks) {
          const rich = [
            'text' in b ? b.text : undefined,
            ...('items' in b ? b.items : []),
            'cite' in b ? b.cite : undefined,
            'caption' in b ? b.caption : undefined,
            'credit' in b ? b.credit : undefined,
          ].filter((x): x is string => x !== undefined);
          for (const field of rich) expect(field).not.toMatch(ONLY_INLINE_TAGS);
          const bare = ['alt' in b ? b.alt : undefined, 'provider' in b ? b.provider : undefined];
          for (const field of bare.filter((x): x is string => x !== undefined))
            expect(field).not.toMatch(/[<>"]/);
        }
        expect(normalizeBlocks(blocks)).toEqual({ blocks, errors: [] });
      },
    );

    it('text fields are HTML: plain characters come out as entities, and bodyText gives them back', () => {
      const { blocks } = normalizeBlocks([
        { type: 'quote', text: 'AT&T said 2 < 3', cite: 'Smith & Sons <Ltd>' },
        {
          type: 'image',
          url: 'https://img.example/a.jpg',
          alt: 'A "quoted" <b>alt</b> & more',
          caption: 'Tom & Jerry',
          credit: '<i>AP</i>',
        },
        { type: 'embed', url: 'https://video.example/v/1', provider: 'Q&A "Live"' },
      ]);
      expect(blocks).toEqual([
        { type: 'quote', text: 'AT&amp;T said 2 &lt; 3', cite: 'Smith &amp; Sons' },
        {
          type: 'image',
          url: 'https://img.example/a.jpg',
          alt: 'A &quot;quoted&quot; alt &amp; more',
          caption: 'Tom &amp; Jerry',
          credit: '<i>AP</i>',
        },
        { type: 'embed', url: 'https://video.example/v/1', provider: 'Q&amp;A &quot;Live&quot;' },
      ]);
      expect(renderBody(blocks)).toEqual({
        body: blocks,
        bodyHtml:
          '<blockquote><p>AT&amp;T said 2 &lt; 3</p><cite>Smith &amp; Sons</cite></blockquote>\n' +
          '<figure><img src="https://img.example/a.jpg" alt="A &quot;quoted&quot; alt &amp; more"><figcaption>Tom &amp; Jerry — <i>AP</i></figcaption></figure>\n' +
          '<figure class="embed"><a href="https://video.example/v/1">Q&amp;A &quot;Live&quot;</a></figure>',
        bodyText: 'AT&T said 2 < 3\n— Smith & Sons',
      });
    });

    it('a url is an absolute http(s) URL in its normalised form; anything else is refused', () => {
      const image = (url: string) => normalizeBlocks([{ type: 'image', url, alt: 'x' }]);
      expect(image(' https://img.example/a b.jpg?c="d"&e=<f> ').blocks[0]).toMatchObject({
        url: 'https://img.example/a%20b.jpg?c=%22d%22&e=%3Cf%3E',
      });
      const breakout = image('https://img.example/a.jpg" onerror="alert(1)');
      expect(breakout.blocks[0]).toMatchObject({ url: 'https://img.example/a.jpg%22%20onerror=%22alert(1)' });
      expect(renderHtml(breakout.blocks)).toBe(
        '<figure><img src="https://img.example/a.jpg%22%20onerror=%22alert(1)" alt="x"></figure>',
      );
      for (const url of [
        'javascript:alert(1)',
        '//img.example/a.jpg',
        '/a.jpg',
        'data:image/png;base64,AA',
        'https://',
        'ftp://x/y',
      ]) {
        expect({ url, errors: image(url).errors }).toEqual({
          url,
          errors: [{ path: 'body.0.url', message: 'must be an http(s) URL' }],
        });
        const embed = normalizeBlocks([{ type: 'embed', url }]);
        expect(embed.errors.map((e) => e.path)).toEqual(['body.0.url']);
      }
    });

    it('bodyHtml follows the same rules: captions and cites keep their inline markup, alt none', () => {
      const blocks = htmlToBlocks(
        '<blockquote><p>Rebuild.</p><cite>The <i>Herald</i> &amp; <script>x</script>co</cite></blockquote>' +
          '<figure><img src="https://img.example/a b.jpg" alt="A &lt;b&gt; &quot;tag&quot;"><figcaption>By <a href="https://ap.org">AP</a> <span onclick="x()">now</span></figcaption></figure>',
      );
      expect(blocks).toEqual([
        { type: 'quote', text: 'Rebuild.', cite: 'The <i>Herald</i> &amp; co' },
        {
          type: 'image',
          url: 'https://img.example/a%20b.jpg',
          alt: 'A &lt;b&gt; &quot;tag&quot;',
          caption: 'By <a href="https://ap.org">AP</a> now',
        },
      ]);
      expect(normalizeBlocks(blocks).blocks).toEqual(blocks);
    });
  });
});
