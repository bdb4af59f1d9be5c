import { toImportItem, type ArticleStatus, type ImportItem } from '../import-line';
import { malformed, readAllText, type ImportSource, type ParseOptions } from './import-source';
import { assertNoPrototypeKeys } from './json.parser';
import { jsonErrorMessage, parseJsonSafely } from './ndjson.parser';
import { heroPicture, type Picture } from './pictures';
import { htmlToText, joinNames, terms, toIsoDate, toSlug } from './text';

type Json = Record<string, unknown>;

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml', 'application/xhtml']);
const STATUSES: Record<string, ArticleStatus | 'skip'> = {
  usable: 'published',
  withheld: 'draft',
  canceled: 'skip',
  cancelled: 'skip',
};

/**
 * IPTC ninjs 1.x–3.x (lower-case and camel-case keys): one item, an array of items, or NDJSON
 * of items. Only `text` items are articles; pictures, videos, composites… are `skipped`, as are
 * canceled items.
 */
export async function* parseNinjs(
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const text = await readAllText(source);
  for (const [line, value] of ninjsDocuments(text)) {
    if (value instanceof Error) {
      yield { line, error: value.message };
      continue;
    }
    try {
      assertNoPrototypeKeys(value);
    } catch (e) {
      yield { line, error: jsonErrorMessage(e) };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, error: 'a ninjs item must be a JSON object' };
      continue;
    }
    const item = value as Json;
    const externalId = str(item.uri);
    const type = str(item.type) ?? 'text';
    const status = STATUSES[(str(item.pubStatus) ?? str(item.pubstatus) ?? '').toLowerCase()];
    if (type !== 'text' || status === 'skip') {
      yield { line, ...(externalId ? { externalId } : {}), skipped: true };
      continue;
    }
    yield toImportItem(line, ninjsCandidate(item, status ?? options.status ?? 'published'));
  }
}

/** A whole JSON document (an item or an array of items), else NDJSON (one item a line). */
function* ninjsDocuments(text: string): Generator<[number, unknown]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    document = undefined;
  }
  if (document !== undefined) {
    const items = Array.isArray(document) ? document : [document];
    for (let i = 0; i < items.length; i++) yield [i + 1, items[i]];
    return;
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim());
  if (first === undefined) throw malformed('the ninjs document is empty');
  // NDJSON only when the first line is a whole JSON value; else it is one broken document.
  try {
    JSON.parse(first);
  } catch (e) {
    throw malformed(`malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      yield [i + 1, parseJsonSafely(lines[i])];
    } catch (e) {
      yield [i + 1, new Error(jsonErrorMessage(e))];
    }
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null) : [];
}

/** `contentType` (3.x) or `contenttype` (2.x). */
function contentType(value: Json): string {
  return (str(value.contentType) ?? str(value.contenttype) ?? 'text/plain')
    .toLowerCase()
    .split(';')[0]
    .trim();
}

/** The first HTML and the first plain-text value of a 2.x/3.x `bodies` or `descriptions` list. */
function richText(list: unknown): { html?: string; text?: string } {
  const entries = objects(list).filter((e) => str(e.value));
  const html = entries.find((e) => HTML_TYPES.has(contentType(e)));
  if (html) return { html: str(html.value) };
  const text = entries.find((e) => contentType(e) === 'text/plain');
  return text ? { text: str(text.value) } : {};
}

function headline(item: Json): { title?: string; subtitle?: string } {
  const headlines = objects(item.headlines).filter((h) => str(h.value));
  const asText = (h: Json | undefined) => {
    const value = h && str(h.value);
    return value && HTML_TYPES.has(contentType(h)) ? htmlToText(value) : value;
  };
  const main = headlines.find((h) => str(h.role) === 'main') ?? headlines[0];
  const sub = headlines.find((h) => ['sub', 'subheadline', 'subtitle'].includes(str(h.role) ?? ''));
  return {
    title: asText(main) ?? str(item.headline),
    subtitle: str(item.subheadline) ?? asText(sub),
  };
}

function located(item: Json): string | undefined {
  if (typeof item.located === 'string') return str(item.located);
  if (typeof item.located === 'object' && item.located !== null) return str((item.located as Json).name);
  const dateline = item.datelines ?? item.dateline;
  if (typeof dateline === 'string') return str(dateline);
  const first = objects(dateline)[0];
  return first ? (str(first.value) ?? str(first.name)) : undefined;
}

function ninjsCandidate(item: Json, status: ArticleStatus) {
  const { title, subtitle } = headline(item);
  let body = richText(item.bodies);
  if (!body.html && !body.text)
    body = { html: str(item.body_html) ?? str(item.body_xhtml), text: str(item.body_text) };
  if (body.html) body = { html: unwrapBody(body.html) };
  let description = richText(item.descriptions);
  if (!description.html && !description.text) {
    description = { html: str(item.description_html), text: str(item.description_text) };
  }
  const hasBody = body.html !== undefined || body.text !== undefined;
  const excerpt = description.text ?? (description.html ? htmlToText(description.html) : undefined);
  if (!hasBody) body = description.html ? { html: description.html } : { text: description.text };
  const subjects = terms(
    objects(item.subjects).map((s) => ({ name: str(s.name) ?? str(s.code) ?? str(s.literal) })),
    'tag',
  );
  const slugline = str(item.slugline);
  return {
    externalId: str(item.uri),
    slug: slugline ? toSlug(slugline, 'story') : undefined,
    title: title ?? '',
    subtitle,
    byline: typeof item.by === 'string' ? str(item.by) : (str(item.byline) ?? bylineOf(item.by)),
    dateline: located(item),
    source: str(item.copyrightHolder) ?? str(item.copyrightholder),
    excerpt: hasBody ? excerpt : undefined,
    bodyHtml: body.html,
    bodyText: body.html ? undefined : body.text,
    tags: subjects.length ? subjects : undefined,
    heroImage: heroPicture(associatedPicture(item)),
    status,
    publishedAt: toIsoDate(
      str(item.firstCreated) ??
        str(item.firstcreated) ??
        str(item.contentCreated) ??
        str(item.versionCreated) ??
        str(item.versioncreated),
    ),
  };
}

/**
 * The story's picture: among `associations` (an object by name in 1.x, a list in 2.x and 3.x) of
 * type picture, the one named like a feature image, else the first; its widest rendition (1.x and
 * 2.x: an object by name, 3.x: a list), else its `uri`; caption from its description or headline,
 * credit from its by-line, else its copyright holder.
 */
function associatedPicture(item: Json): Picture | undefined {
  const raw = item.associations;
  const all: Json[] = Array.isArray(raw)
    ? objects(raw)
    : typeof raw === 'object' && raw !== null
      ? Object.entries(raw as Json).flatMap(([name, v]) =>
          typeof v === 'object' && v !== null && !Array.isArray(v) ? [{ name, ...(v as Json) }] : [],
        )
      : [];
  const pictures = all.filter((a) => (str(a.type) ?? '').toLowerCase() === 'picture');
  const picture = pictures.find((p) => /feature|main|hero|lead/i.test(str(p.name) ?? '')) ?? pictures[0];
  if (!picture) return undefined;
  const renditions = Array.isArray(picture.renditions)
    ? objects(picture.renditions)
    : typeof picture.renditions === 'object' && picture.renditions !== null
      ? Object.values(picture.renditions as Json).filter(
          (r): r is Json => typeof r === 'object' && r !== null,
        )
      : [];
  const widest = renditions
    .filter((r) => str(r.href))
    .sort((a, b) => (Number(b.width) || 0) - (Number(a.width) || 0))[0];
  const description = richText(picture.descriptions);
  const caption =
    description.text ??
    (description.html ? htmlToText(description.html) : undefined) ??
    str(picture.description_text) ??
    headline(picture).title;
  return {
    url: str(widest?.href) ?? str(picture.uri),
    caption,
    credit:
      (typeof picture.by === 'string' ? str(picture.by) : (str(picture.byline) ?? bylineOf(picture.by))) ??
      str(picture.copyrightHolder) ??
      str(picture.copyrightholder),
    alt: str(picture.altText) ?? str(picture.alt_text),
    width: Number(widest?.width) || undefined,
    height: Number(widest?.height) || undefined,
  };
}

/** `by` as an array of people (some 3.x producers) → their names. */
function bylineOf(value: unknown): string | undefined {
  return joinNames(objects(value).map((p) => str(p.name)));
}

/** Some producers send a whole `<body>…</body>` as the HTML body; the article wants its content. */
function unwrapBody(html: string): string {
  const trimmed = html.trim();
  if (!/^<body[\s>]/i.test(trimmed) || !/<\/body>$/i.test(trimmed)) return trimmed;
  return trimmed.slice(trimmed.indexOf('>') + 1, -'</body>'.length).trim();
}
