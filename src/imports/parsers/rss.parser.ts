import { toImportItem, type ImportItem } from '../import-line';
import { malformed, readAllText, type ImportSource, type ParseOptions } from './import-source';
import { feedPicture, heroPicture, MEDIA_RSS_NS } from './pictures';
import { htmlToText, joinNames, terms, toIsoDate } from './text';
import { CONTENT_NS, DC_NS, child, list, namespacePrefix, nonEmpty, parseXml, type XmlValue } from './xml';

/**
 * RSS 2.0: guid (else link) → externalId, title, content:encoded (else description) → bodyHtml
 * with the description as excerpt, pubDate → publishedAt, category → tags (and, when asked, the
 * first category → section), dc:creator (else author) → byline, the Media RSS or enclosure
 * picture → heroImage.
 */
export async function* parseRss(
  source: ImportSource,
  options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const document = parseXml(await readAllText(source));
  const rss = document['rss'];
  if (rss === undefined) throw malformed('not an RSS 2.0 document (no <rss> root element)');
  const content = namespacePrefix(rss, (uri) => uri === CONTENT_NS) ?? 'content';
  const dc = namespacePrefix(rss, (uri) => uri === DC_NS) ?? 'dc';
  const media = namespacePrefix(rss, (uri) => uri === MEDIA_RSS_NS) ?? 'media';
  const items = list(child(child(rss, 'channel'), 'item'));
  for (let i = 0; i < items.length; i++) {
    yield toImportItem(i + 1, rssCandidate(items[i], { content, dc, media }, options));
  }
}

function rssCandidate(
  item: XmlValue,
  ns: { content: string; dc: string; media: string },
  options: ParseOptions,
) {
  const encoded = nonEmpty(child(item, `${ns.content}:encoded`));
  const description = nonEmpty(child(item, 'description'));
  const categories = terms(
    list(child(item, 'category')).map((c) => ({ name: nonEmpty(c) })),
    'tag',
  );
  const section = options.categoryAsSection ? categories[0] : undefined;
  return {
    externalId: nonEmpty(child(item, 'guid')) ?? nonEmpty(child(item, 'link')),
    title: nonEmpty(child(item, 'title')) ?? '',
    bodyHtml: encoded ?? description,
    excerpt: encoded && description ? htmlToText(description) || undefined : undefined,
    byline:
      joinNames(list(child(item, `${ns.dc}:creator`)).map(nonEmpty)) ?? rssAuthor(child(item, 'author')),
    publishedAt: toIsoDate(nonEmpty(child(item, 'pubDate'))),
    tags: categories.length ? categories : undefined,
    heroImage: heroPicture(feedPicture(item, ns.media)),
    section: section?.slug,
    sectionName: section?.name,
    status: options.status ?? 'published',
  };
}

/** RSS `author` is an e-mail address, often with the name in brackets: `jo@example.org (Jo Kim)`. */
function rssAuthor(value: XmlValue): string | undefined {
  const names = list(value).map((a) => {
    const t = nonEmpty(a);
    const named = t && /\(([^)]+)\)\s*$/.exec(t);
    return named ? named[1] : t;
  });
  return joinNames(names);
}
