/** The stored, canonical form of an article body: ordered blocks. */
export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: 2 | 3 | 4; text: string }
  | { type: 'quote'; text: string; cite?: string }
  | { type: 'list'; ordered: boolean; items: string[] }
  | { type: 'image'; url: string; alt: string; caption?: string; credit?: string }
  | { type: 'embed'; url: string; provider?: string };

export type BlockType = Block['type'];
export const BLOCK_TYPES: readonly BlockType[] = ['paragraph', 'heading', 'quote', 'list', 'image', 'embed'];

/**
 * One rule per block field, the same for JSON blocks, `bodyHtml`, `bodyText` and every import
 * (normalize.ts applies them, render.ts relies on them):
 * - every text field is sanitised HTML, to be inserted as HTML and never escaped again:
 *   `text`, `items`, `cite`, `caption` and `credit` may carry <b>, <i> and <a href>; `alt` and
 *   `provider` carry no tags at all (they end up where tags cannot go: an attribute, a link);
 * - `url` is an absolute http(s) URL, stored as the WHATWG URL serialisation (what browsers do),
 *   so it holds no space, quote or angle bracket.
 * These are the descriptions the API documentation gives of them.
 */
export const BLOCK_FIELD_RULES = {
  inlineHtml:
    'Sanitised inline HTML: only <b>, <i> and <a href> (http, https or mailto) are kept, other markup is ' +
    'dropped, and &, < and > in the text are entities.',
  text:
    'Sanitised HTML without any tags: markup is dropped, and &, <, > and " are entities, so it is safe as ' +
    'element content and inside a quoted attribute.',
  url:
    'An absolute http or https URL in its normalised form (WHATWG URL): spaces, quotes and angle brackets ' +
    'are percent-encoded. Anything else (relative, javascript:, data:) is refused.',
} as const;

/** What a client does with every text field of a block (said once per field in the answer's schema). */
export const BLOCK_TEXT_USE = 'Insert it as HTML; do not escape it again.';

/** Schemes a link or image may use; anything else (javascript:, data:, vbscript:…) is dropped. */
export const SAFE_URL = /^(https?:\/\/|mailto:)/i;
export const SAFE_MEDIA_URL = /^https?:\/\//i;

/**
 * The stored form of a block's `url`: an absolute http(s) URL as the WHATWG URL parser (the
 * browsers' own) serialises it, so spaces, quotes and angle brackets come out percent-encoded
 * and what a reader's browser fetches is exactly what was checked. Null for anything else.
 */
export function mediaUrl(raw: string): string | null {
  const trimmed = raw.trim();
  if (!SAFE_MEDIA_URL.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes text content (quotes stay as they are, so text round-trips unchanged). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
