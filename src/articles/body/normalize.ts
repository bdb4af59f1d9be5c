import type { FieldError } from '../../common/errors/domain-error';
import { SAFE_MEDIA_URL, type Block } from './blocks';
import { htmlToBlocks } from './html-to-blocks';
import { cleanInline } from './inline';
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
const optStr = (v: unknown) => (str(v) && v.trim() ? v.trim() : undefined);

/** Checks and cleans blocks given as JSON; errors name `body[i].field`. */
export function normalizeBlocks(raw: RawBlock[], path = 'body'): { blocks: Block[]; errors: FieldError[] } {
  const blocks: Block[] = [];
  const errors: FieldError[] = [];
  raw.forEach((b, i) => {
    const at = `${path}[${i}]`;
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
          const cite = optStr(b.cite);
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
      case 'image':
        if (need('url', str(b.url) && SAFE_MEDIA_URL.test(b.url), 'must be an http(s) URL')) {
          const block: Block = { type: 'image', url: (b.url as string).trim(), alt: str(b.alt) ? b.alt : '' };
          const caption = optStr(b.caption);
          const credit = optStr(b.credit);
          if (caption) block.caption = caption;
          if (credit) block.credit = credit;
          blocks.push(block);
        }
        break;
      case 'embed':
        if (need('url', str(b.url) && SAFE_MEDIA_URL.test(b.url), 'must be an http(s) URL')) {
          const provider = optStr(b.provider);
          blocks.push(
            provider
              ? { type: 'embed', url: (b.url as string).trim(), provider }
              : { type: 'embed', url: (b.url as string).trim() },
          );
        }
        break;
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
