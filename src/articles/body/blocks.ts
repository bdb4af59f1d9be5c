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

/** Schemes a link or image may use; anything else (javascript:, data:, vbscript:…) is dropped. */
export const SAFE_URL = /^(https?:\/\/|mailto:)/i;
export const SAFE_MEDIA_URL = /^https?:\/\//i;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes text content (quotes stay as they are, so text round-trips unchanged). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
