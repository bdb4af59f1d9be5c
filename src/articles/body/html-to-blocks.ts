import { parseDocument } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, mediaUrl, type Block } from './blocks';
import { collapseWhitespace, serializeInline, type DomNode } from './inline';

/** What survives the first pass over `bodyHtml`: block structure and the inline allowlist. */
const BODY_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'cite',
    'ul',
    'ol',
    'li',
    'figure',
    'figcaption',
    'img',
    'b',
    'strong',
    'i',
    'em',
    'a',
    'br',
    'div',
    'section',
    'article',
    'span',
  ],
  allowedAttributes: { a: ['href'], img: ['src', 'alt'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

const INLINE_TAGS = new Set(['b', 'strong', 'i', 'em', 'a', 'span', 'br', 'cite']);
const CONTAINERS = new Set(['div', 'section', 'article']);

function inlineOf(nodes: DomNode[] | undefined): string {
  return collapseWhitespace(serializeInline(nodes)).trim();
}

function findAll(node: DomNode, name: string): DomNode[] {
  const out: DomNode[] = [];
  for (const child of node.children ?? []) {
    if (child.type === 'tag' && child.name === name) out.push(child);
    else out.push(...findAll(child, name));
  }
  return out;
}

/** An image block by the field rules of blocks.ts (the parser has decoded the attributes). */
function imageBlock(img: DomNode, caption?: string): Block | null {
  const url = mediaUrl(img.attribs?.src ?? '');
  if (!url) return null;
  const block: Block = {
    type: 'image',
    url,
    alt: escapeHtml(collapseWhitespace(img.attribs?.alt ?? '').trim()),
  };
  if (caption) block.caption = caption;
  return block;
}

/**
 * Turns editor HTML into blocks: cleaned by sanitize-html with an allowlist, then parsed by
 * htmlparser2 and walked; the blocks keep only what the renderer can reproduce safely.
 */
export function htmlToBlocks(html: string): Block[] {
  const clean = sanitizeHtml(html, BODY_OPTIONS);
  const blocks: Block[] = [];
  let pending: DomNode[] = [];
  const flush = () => {
    const text = inlineOf(pending);
    if (text) blocks.push({ type: 'paragraph', text });
    pending = [];
  };
  const walk = (nodes: DomNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        pending.push(node);
        continue;
      }
      if (node.type !== 'tag' || !node.name) continue;
      if (node.name === 'br') {
        flush();
        continue;
      }
      if (INLINE_TAGS.has(node.name)) {
        pending.push(node);
        continue;
      }
      flush();
      blockOf(node);
    }
  };
  const blockOf = (node: DomNode) => {
    switch (node.name ?? '') {
      case 'p': {
        const text = inlineOf(node.children);
        if (text) blocks.push({ type: 'paragraph', text });
        for (const img of findAll(node, 'img')) {
          const b = imageBlock(img);
          if (b) blocks.push(b);
        }
        return;
      }
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6': {
        const text = inlineOf(node.children);
        const level = Math.min(4, Math.max(2, Number((node.name ?? 'h2').slice(1)))) as 2 | 3 | 4;
        if (text) blocks.push({ type: 'heading', level, text });
        return;
      }
      case 'blockquote': {
        const cites = findAll(node, 'cite');
        const cite = cites
          .map((c) => inlineOf(c.children))
          .join(' ')
          .trim();
        const without = (nodes: DomNode[] | undefined): DomNode[] =>
          (nodes ?? [])
            .filter((n) => !(n.type === 'tag' && n.name === 'cite'))
            .map((n) => ({ ...n, children: without(n.children) }));
        const parts = (without(node.children) ?? []).map((n) =>
          n.type === 'tag' && n.name === 'p' ? inlineOf(n.children) : inlineOf([n]),
        );
        const text = parts.filter(Boolean).join(' ').trim();
        if (text) blocks.push(cite ? { type: 'quote', text, cite } : { type: 'quote', text });
        return;
      }
      case 'ul':
      case 'ol': {
        const items = findAll(node, 'li')
          .map((li) => inlineOf(li.children))
          .filter(Boolean);
        if (items.length) blocks.push({ type: 'list', ordered: node.name === 'ol', items });
        return;
      }
      case 'img': {
        const b = imageBlock(node);
        if (b) blocks.push(b);
        return;
      }
      case 'figure': {
        const caption = findAll(node, 'figcaption')
          .map((c) => inlineOf(c.children))
          .join(' ')
          .trim();
        for (const img of findAll(node, 'img')) {
          const b = imageBlock(img, caption || undefined);
          if (b) blocks.push(b);
        }
        return;
      }
      default:
        if (CONTAINERS.has(node.name ?? '') || node.name === 'li' || node.name === 'figcaption')
          walk(node.children ?? []);
    }
  };
  walk(parseDocument(clean).children);
  flush();
  return blocks;
}
