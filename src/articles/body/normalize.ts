import type { FieldError } from '../../common/errors/domain-error';
import { mediaUrl, type Block } from './blocks';
import { htmlToBlocks } from './html-to-blocks';
import { cleanInline, cleanText } from './inline';
import { makeExcerpt, renderHtml, renderText, textToBlocks } from './render';

/** A block as it arrives (REST JSON or the GraphQL BlockInput): checked field by field here. */
export interface RawBlock {
  type?: unknown;
  text?: unknown;
  level?: unknown;
  cite?: unknown;
  ordered?: unknown;
  items?: unknown;
  url?: unknown;
  alt?: unknown;
  caption?: unknown;
  credit?: unknown;
  provider?: unknown;
}

const str = (v: unknown): v is string => typeof v === 'string';
/** An optional text field cleaned by its rule; undefined when nothing is left of it. */
const optional = (v: unknown, clean: (s: string) => string) => (str(v) ? clean(v) || undefined : undefined);

/**
 * Checks and cleans blocks given as JSON; errors name `body[i].field`. Each field gets its one
 * rule (BLOCK_FIELD_RULES): sanitised inline HTML, HTML without tags, or a normalised http(s) URL.
 */
export function normalizeBlocks(raw: RawBlock[], path = 'body'): { blocks: Block[]; errors: FieldError[] } {
  const blocks: Block[] = [];
  const errors: FieldError[] = [];
  raw.forEach((b, i) => {
    const at = `${path}.${i}`;
    const need = (field: keyof RawBlock, ok: boolean, message: string) => {
      if (!ok) errors.push({ path: `${at}.${field}`, message });
      return ok;
    };
    switch (b.type) {
      case 'paragraph':
        if (need('text', str(b.text), 'must be a string'))
          blocks.push({ type: 'paragraph', text: cleanInline(b.text as string) });
        break;
      case 'heading': {
        const okLevel = need('level', b.level === 2 || b.level === 3 || b.level === 4, 'must be 2, 3 or 4');
        if (need('text', str(b.text), 'must be a string') && okLevel)
          blocks.push({ type: 'heading', level: b.level as 2 | 3 | 4, text: cleanInline(b.text as string) });
        break;
      }
      case 'quote':
        if (need('text', str(b.text), 'must be a string')) {
          const cite = optional(b.cite, cleanInline);
          const text = cleanInline(b.text as string);
          blocks.push(cite ? { type: 'quote', text, cite } : { type: 'quote', text });
        }
        break;
      case 'list': {
        const ok = need('items', Array.isArray(b.items) && b.items.every(str), 'must be a list of strings');
        if (ok)
          blocks.push({
            type: 'list',
            ordered: b.ordered === true,
            items: (b.items as string[]).map(cleanInline),
          });
        break;
      }
      case 'image': {
        const url = str(b.url) ? mediaUrl(b.url) : null;
        if (need('url', url !== null, 'must be an http(s) URL')) {
          const block: Block = { type: 'image', url: url as string, alt: str(b.alt) ? cleanText(b.alt) : '' };
          const caption = optional(b.caption, cleanInline);
          const credit = optional(b.credit, cleanInline);
          if (caption) block.caption = caption;
          if (credit) block.credit = credit;
          blocks.push(block);
        }
        break;
      }
      case 'embed': {
        const url = str(b.url) ? mediaUrl(b.url) : null;
        if (need('url', url !== null, 'must be an http(s) URL')) {
          const provider = optional(b.provider, cleanText);
          blocks.push(
            provider
              ? { type: 'embed', url: url as string, provider }
              : { type: 'embed', url: url as string },
          );
        }
        break;
      }
      default:
        errors.push({
          path: `${at}.type`,
          message: 'must be paragraph, heading, quote, list, image or embed',
        });
    }
  });
  return { blocks, errors };
}

export interface RenderedBody {
  body: Block[];
  bodyHtml: string;
  bodyText: string;
}

export function renderBody(blocks: Block[]): RenderedBody {
  return { body: blocks, bodyHtml: renderHtml(blocks), bodyText: renderText(blocks) };
}

/** The body from whichever form the input used: blocks, HTML or plain text. */
export function bodyFromInput(input: {
  body?: RawBlock[] | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
}): { blocks: Block[]; errors: FieldError[] } | null {
  const given = [input.body != null, input.bodyHtml != null, input.bodyText != null].filter(Boolean).length;
  if (given > 1)
    return { blocks: [], errors: [{ path: 'body', message: 'give one of body, bodyHtml or bodyText' }] };
  if (input.body != null) return normalizeBlocks(input.body);
  if (input.bodyHtml != null) return { blocks: htmlToBlocks(input.bodyHtml), errors: [] };
  if (input.bodyText != null) return { blocks: textToBlocks(input.bodyText), errors: [] };
  return null;
}

export { makeExcerpt };
