import { parseDocument } from 'htmlparser2';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml, escapeText, SAFE_URL } from './blocks';

/** The DOM node shapes of htmlparser2 (domhandler) that the walkers look at. */
export interface DomNode {
  type: string;
  data?: string;
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
}

const INLINE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'i', 'a', 'strong', 'em', 'br'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/**
 * Serialises inline nodes into the only markup block text may carry: `<b>`, `<i>` and
 * `<a href>` with an http(s) or mailto link. Everything else becomes its escaped text, so the
 * result is safe by construction whatever reached it.
 */
export function serializeInline(nodes: DomNode[] | undefined): string {
  let out = '';
  for (const node of nodes ?? []) {
    if (node.type === 'text') {
      out += escapeText(node.data ?? '');
      continue;
    }
    if (node.type !== 'tag') continue;
    const inner = serializeInline(node.children);
    switch (node.name ?? '') {
      case 'b':
      case 'strong':
        out += inner ? `<b>${inner}</b>` : '';
        break;
      case 'i':
      case 'em':
        out += inner ? `<i>${inner}</i>` : '';
        break;
      case 'a': {
        const href = (node.attribs?.href ?? '').trim();
        out += SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
        break;
      }
      case 'br':
        out += ' ';
        break;
      default:
        out += inner;
    }
  }
  return out;
}

/**
 * `s.replace(/\s+/g, ' ')`: every whitespace run as one space. Most text has nothing to collapse
 * (single spaces only), and the test is far cheaper than a replace that rebuilds the string.
 */
export function collapseWhitespace(s: string): string {
  return /\s\s|[^\S ]/.test(s) ? s.replace(/\s+/g, ' ') : s;
}

/** Cleans block text that arrived as markup: the allowlist sanitiser first, then our serialiser. */
export function cleanInline(text: string): string {
  // No markup and no entities: the sanitiser and the parser would give the text back as it is.
  if (!/[<&\u0000]/.test(text)) return collapseWhitespace(escapeText(text)).trim();
  const sanitized = sanitizeHtml(text, INLINE_OPTIONS);
  return collapseWhitespace(serializeInline(parseDocument(sanitized).children)).trim();
}

/** Markup dropped whole, text kept (script and style contents go too). */
const NO_TAGS: sanitizeHtml.IOptions = {
  allowedTags: [],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
};

/**
 * Cleans a text field that may carry no tags (`alt`, `provider`): markup dropped, entities
 * decoded, then `&`, `<`, `>` and `"` escaped, so the result is safe as element content and in
 * a quoted attribute. Cleaning it again gives it back unchanged.
 */
export function cleanText(text: string): string {
  if (!/[<&\u0000]/.test(text)) return escapeHtml(collapseWhitespace(text).trim());
  return escapeHtml(collapseWhitespace(plainText(sanitizeHtml(text, NO_TAGS))).trim());
}

/** The plain text of block text (tags dropped, entities decoded). */
export function plainText(inline: string): string {
  if (!/[<&]/.test(inline)) return inline;
  const walk = (nodes: DomNode[] | undefined): string =>
    (nodes ?? []).map((n) => (n.type === 'text' ? (n.data ?? '') : walk(n.children))).join('');
  return walk(parseDocument(inline).children);
}
