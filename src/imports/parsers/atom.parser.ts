import { toImportItem, type ImportItem } from '../import-line';
import { malformed, readAllText, type ImportSource, type ParseOptions } from './import-source';
import { feedPicture, heroPicture, MEDIA_RSS_NS } from './pictures';
import { htmlToText, joinNames, terms, toIsoDate } from './text';
import {
  attr,
  child,
  decodeRawText,
  list,
  namespacePrefix,
  nonEmpty,
  parseXml,
  text,
  type XmlValue,
} from './xml';

/** Entry content is kept raw so XHTML content survives as markup. */
const RAW_CONTENT = 'feed.entry.content';

/**
 * Atom 1.0: id → externalId, title, content (html, xhtml or text) → bodyHtml or bodyText,
 * summary → excerpt (or the body when there is no content), published (else updated) →
 * publishedAt, category term/label → tags (and, when asked, the first → section), authors → byline,
 * an image enclosure link or Media RSS picture → heroImage.
 */
export async function* parseAtom(
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const document = parseXml(await readAllText(source), [RAW_CONTENT]);
  const feed = document['feed'];
  if (feed === undefined) throw malformed('not an Atom document (no <feed> root element)');
  const media = namespacePrefix(feed, (uri) => uri === MEDIA_RSS_NS) ?? 'media';
  const entries = list(child(feed, 'entry'));
  for (let i = 0; i < entries.length; i++) {
    yield toImportItem(i + 1, atomCandidate(entries[i], media, options));
  }
}

/** An Atom text construct (title, summary, content) as HTML or as plain text. */
function textConstruct(value: XmlValue, raw: boolean): { html?: string; text?: string } {
  if (value === undefined) return {};
  const type = attr(value, 'type') ?? 'text';
  const body = text(value) ?? '';
  if (type === 'xhtml') return { html: unwrapXhtmlDiv(body).trim() || undefined };
  const decoded = (raw ? decodeRawText(body) : body).trim();
  if (!decoded) return {};
  return type === 'html' ? { html: decoded } : { text: decoded };
}

/** Atom XHTML content sits inside one `<div xmlns="http://www.w3.org/1999/xhtml">`. */
function unwrapXhtmlDiv(markup: string): string {
  const trimmed = markup.trim();
  if (!trimmed.startsWith('<div')) return trimmed;
  const open = trimmed.indexOf('>');
  const close = trimmed.lastIndexOf('</div>');
  return open > 0 && close > open ? trimmed.slice(open + 1, close) : trimmed;
}

function plain(construct: { html?: string; text?: string }): string | undefined {
  return construct.html !== undefined ? htmlToText(construct.html) || undefined : construct.text;
}

function atomCandidate(entry: XmlValue, media: string, options: ParseOptions) {
  const content = textConstruct(child(entry, 'content'), true);
  const summary = textConstruct(child(entry, 'summary'), false);
  const hasContent = content.html !== undefined || content.text !== undefined;
  const body = hasContent ? content : summary;
  const categories = terms(
    list(child(entry, 'category')).map((c) => ({
      slug: attr(c, 'term'),
      name: attr(c, 'label') ?? attr(c, 'term'),
    })),
    'tag',
  );
  const section = options.categoryAsSection ? categories[0] : undefined;
  return {
    externalId: nonEmpty(child(entry, 'id')),
    title: plain(textConstruct(child(entry, 'title'), false)) ?? '',
    bodyHtml: body.html,
    bodyText: body.text,
    excerpt: hasContent ? plain(summary) : undefined,
    byline: joinNames(list(child(entry, 'author')).map((a) => nonEmpty(child(a, 'name')))),
    publishedAt: toIsoDate(nonEmpty(child(entry, 'published')) ?? nonEmpty(child(entry, 'updated'))),
    tags: categories.length ? categories : undefined,
    heroImage: heroPicture(feedPicture(entry, media)),
    section: section?.slug,
    sectionName: section?.name,
    status: options.status ?? 'published',
  };
}
