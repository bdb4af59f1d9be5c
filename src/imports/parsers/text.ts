import { createHash } from 'node:crypto';
import { Parser } from 'htmlparser2';
import slugify from 'slugify';
import { SLUG_MAX, SLUG_PATTERN } from '../../common/http/slug';
import type { ImportTerm } from '../import-line';

const SKIPPED_ELEMENTS = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object']);
const BREAKING_ELEMENTS = new Set(['p', 'br', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote']);

/** Plain text of an HTML fragment (for excerpts and headlines): tags dropped, scripts skipped. */
export function htmlToText(html: string): string {
  let out = '';
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping++;
        else if (BREAKING_ELEMENTS.has(name)) out += ' ';
      },
      onclosetag(name) {
        if (SKIPPED_ELEMENTS.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BREAKING_ELEMENTS.has(name)) out += ' ';
      },
      ontext(text) {
        if (!skipping) out += text;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * A valid slug for a term or an article: kept when it already is one, otherwise made with
 * slugify; text with no Latin letters (Hangul, Arabic…) gets a stable hash-based slug, so the
 * same name always maps to the same slug and a re-import stays unchanged.
 */
export function toSlug(text: string, prefix = 'term'): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  if (isSlug(trimmed)) return trimmed;
  const made = slugify(trimmed, { lower: true, strict: true, trim: true })
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  if (isSlug(made)) return made;
  return `${prefix}-${createHash('sha256').update(trimmed.normalize('NFC')).digest('hex').slice(0, 12)}`;
}

export function isSlug(value: string): boolean {
  return value.length <= SLUG_MAX && SLUG_PATTERN.test(value);
}

/** A tag or section from a display name and an optional slug-ish key; duplicates removed. */
export function terms(entries: { slug?: string; name?: string }[], prefix: string): ImportTerm[] {
  const seen = new Set<string>();
  const out: ImportTerm[] = [];
  for (const entry of entries) {
    const name = entry.name?.trim() || undefined;
    const slug = toSlug(entry.slug?.trim() || name || '', prefix);
    if (!slug || seen.has(slug)) continue;
    seen.add(slug);
    out.push(name ? { slug, name: name.slice(0, 200) } : { slug });
  }
  return out;
}

/**
 * A date from a feed (RFC 822, ISO 8601) as ISO-8601 UTC. Unparseable text is returned as it
 * was, so validation reports it against the field instead of silently dropping it.
 */
export function toIsoDate(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}

/** Several names (authors, creators) as one byline. */
export function joinNames(names: (string | undefined)[]): string | undefined {
  const kept = names.map((n) => n?.trim()).filter((n): n is string => !!n);
  return kept.length ? [...new Set(kept)].join(', ') : undefined;
}
