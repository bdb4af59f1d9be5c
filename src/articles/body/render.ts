import { escapeHtml, escapeText, type Block } from './blocks';
import { cleanInline, cleanText, plainText } from './inline';

/**
 * The HTML of a body, rendered from its blocks. Every text field is HTML already (blocks.ts) and
 * is cleaned again by its own rule on the way out, so nothing stored by an older version, or
 * written to the database by hand, can reach the page unsanitised; URLs are escaped for their
 * attribute.
 */
export function renderHtml(blocks: Block[]): string {
  return blocks
    .map((b): string => {
      switch (b.type) {
        case 'paragraph':
          return `<p>${cleanInline(b.text)}</p>`;
        case 'heading':
          return `<h${b.level}>${cleanInline(b.text)}</h${b.level}>`;
        case 'quote':
          return `<blockquote><p>${cleanInline(b.text)}</p>${b.cite ? `<cite>${cleanInline(b.cite)}</cite>` : ''}</blockquote>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((i) => `<li>${cleanInline(i)}</li>`).join('')}</${tag}>`;
        }
        case 'image': {
          const caption = [b.caption, b.credit].filter(Boolean).map((s) => cleanInline(s as string));
          return `<figure><img src="${escapeHtml(b.url)}" alt="${cleanText(b.alt)}">${
            caption.length ? `<figcaption>${caption.join(' — ')}</figcaption>` : ''
          }</figure>`;
        }
        case 'embed':
          return `<figure class="embed"><a href="${escapeHtml(b.url)}">${b.provider ? cleanText(b.provider) : escapeHtml(b.url)}</a></figure>`;
      }
    })
    .join('\n');
}

/** The plain text of a body: its text blocks joined by a blank line. */
export function renderText(blocks: Block[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case 'paragraph':
      case 'heading':
        parts.push(plainText(b.text));
        break;
      case 'quote':
        parts.push(plainText(b.text) + (b.cite ? `\n— ${plainText(b.cite)}` : ''));
        break;
      case 'list':
        parts.push(b.items.map((i) => plainText(i)).join('\n'));
        break;
      case 'image':
      case 'embed':
        break;
    }
  }
  return parts.filter(Boolean).join('\n\n');
}

/** Blocks from plain text: paragraphs split on blank lines. */
export function textToBlocks(text: string): Block[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph' as const, text: escapeText(p) }));
}

/** The first paragraph, cut at a word boundary near `max` characters. */
export function makeExcerpt(blocks: Block[], max = 200): string | null {
  const first = blocks.find((b) => b.type === 'paragraph');
  if (!first) return null;
  const text = plainText(first.text).trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.—-]+$/, '')}…`;
}
