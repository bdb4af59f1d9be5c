import { toImportItem, type ArticleStatus, type ImportItem } from '../import-line';
import { malformed, readAllText, type ImportSource, type ParseOptions } from './import-source';
import { heroPicture, type Picture } from './pictures';
import { htmlToText, isSlug, terms } from './text';
import {
  CONTENT_NS,
  DC_NS,
  attr,
  child,
  isWordPressExcerptNs,
  isWordPressNs,
  list,
  namespacePrefix,
  nonEmpty,
  parseXml,
  type XmlValue,
} from './xml';

type Namespaces = { wp: string; content: string; excerpt: string; dc: string };
type WxrStatus = ArticleStatus | 'skip';

/** wp:status → article status; auto-drafts and trashed posts are not imported (as WordPress's own importer). */
const STATUSES: Record<string, WxrStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
  'auto-draft': 'skip',
  trash: 'skip',
};

/**
 * What the import summary says of a password-protected post. Dateline has no post passwords: the
 * post comes in as a draft, so its text stays with the editors, and publishing it is a decision
 * someone takes knowing it will be public.
 */
export const PASSWORD_PROTECTED_NOTE =
  'password-protected in WordPress: imported as a draft (Dateline has no post passwords; publishing it makes it public)';

/**
 * WordPress eXtended RSS (WXR 1.0–1.2). Items of post type `post` become articles; pages,
 * attachments, menu items and every other post type are `skipped`. Custom taxonomies are ignored.
 * Password-protected posts become drafts whatever their wp:status (PASSWORD_PROTECTED_NOTE).
 * A post's featured image (_thumbnail_id, an attachment of the export) becomes its heroImage.
 */
export async function* parseWxr(
  source: ImportSource,
  _options: ParseOptions = {},
): AsyncGenerator<ImportItem> {
  const document = parseXml(await readAllText(source));
  const rss = document['rss'];
  const wp = namespacePrefix(rss, isWordPressNs);
  if (rss === undefined || wp === undefined)
    throw malformed('not a WordPress export (no wp namespace on <rss>)');
  const ns: Namespaces = {
    wp,
    content: namespacePrefix(rss, (uri) => uri === CONTENT_NS) ?? 'content',
    excerpt: namespacePrefix(rss, isWordPressExcerptNs) ?? 'excerpt',
    dc: namespacePrefix(rss, (uri) => uri === DC_NS) ?? 'dc',
  };
  const channel = child(rss, 'channel');
  const authors = authorNames(channel, ns);
  const items = list(child(channel, 'item'));
  const attachments = attachmentsOf(channel, items, ns);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const line = i + 1;
    const postType = nonEmpty(child(item, `${wp}:post_type`)) ?? 'post';
    const status = STATUSES[nonEmpty(child(item, `${wp}:status`)) ?? 'publish'] ?? 'draft';
    if (postType !== 'post' || status === 'skip') {
      const externalId = nonEmpty(child(item, 'guid'));
      yield { line, ...(externalId ? { externalId } : {}), skipped: true };
      continue;
    }
    const passwordProtected = nonEmpty(child(item, `${wp}:post_password`)) !== undefined;
    const imported = toImportItem(
      line,
      wxrCandidate(item, ns, passwordProtected ? 'draft' : status, authors, attachments),
    );
    yield passwordProtected && imported.input ? { ...imported, note: PASSWORD_PROTECTED_NOTE } : imported;
  }
}

/** Author logins → display names, from the channel's wp:author entries. */
function authorNames(channel: XmlValue, ns: Namespaces): Map<string, string> {
  const names = new Map<string, string>();
  for (const author of list(child(channel, `${ns.wp}:author`))) {
    const login = nonEmpty(child(author, `${ns.wp}:author_login`));
    const display = nonEmpty(child(author, `${ns.wp}:author_display_name`));
    if (login && display) names.set(login, display);
  }
  return names;
}

/** An item's custom fields (wp:postmeta), by key. */
function postmeta(item: XmlValue, ns: Namespaces): Map<string, string> {
  const meta = new Map<string, string>();
  for (const m of list(child(item, `${ns.wp}:postmeta`))) {
    const key = nonEmpty(child(m, `${ns.wp}:meta_key`));
    const value = nonEmpty(child(m, `${ns.wp}:meta_value`));
    if (key && value !== undefined) meta.set(key, value);
  }
  return meta;
}

/**
 * The export's attachments by post id, as pictures: wp:attachment_url (else the site's uploads
 * folder and _wp_attached_file), the alt text (_wp_attachment_image_alt) and the caption (the
 * attachment's excerpt). A post's _thumbnail_id names its featured image among them.
 */
function attachmentsOf(channel: XmlValue, items: XmlValue[], ns: Namespaces): Map<string, Picture> {
  const site = nonEmpty(child(channel, `${ns.wp}:base_site_url`)) ?? nonEmpty(child(channel, 'link'));
  const pictures = new Map<string, Picture>();
  for (const item of items) {
    if (nonEmpty(child(item, `${ns.wp}:post_type`)) !== 'attachment') continue;
    const id = nonEmpty(child(item, `${ns.wp}:post_id`));
    if (!id) continue;
    const meta = postmeta(item, ns);
    const file = meta.get('_wp_attached_file');
    const url =
      nonEmpty(child(item, `${ns.wp}:attachment_url`)) ??
      (site && file
        ? `${site.replace(/\/+$/, '')}/wp-content/uploads/${file.replace(/^\/+/, '')}`
        : undefined);
    const caption = nonEmpty(child(item, `${ns.excerpt}:encoded`));
    pictures.set(id, {
      url,
      alt: meta.get('_wp_attachment_image_alt'),
      caption: caption ? htmlToText(caption) || undefined : undefined,
    });
  }
  return pictures;
}

function wxrCandidate(
  item: XmlValue,
  ns: Namespaces,
  status: ArticleStatus,
  authors: Map<string, string>,
  attachments: Map<string, Picture>,
) {
  const thumbnail = postmeta(item, ns).get('_thumbnail_id');
  const categories = list(child(item, 'category'));
  const byDomain = (domain: string) =>
    categories
      .filter((c) => attr(c, 'domain') === domain)
      .map((c) => ({ slug: decodeNicename(attr(c, 'nicename')), name: nonEmpty(c) }));
  const sections = terms(byDomain('category'), 'section');
  const tags = terms(byDomain('post_tag'), 'tag');
  const postName = decodeNicename(nonEmpty(child(item, `${ns.wp}:post_name`)));
  const creator = nonEmpty(child(item, `${ns.dc}:creator`));
  const excerpt = nonEmpty(child(item, `${ns.excerpt}:encoded`));
  return {
    externalId: nonEmpty(child(item, 'guid')),
    slug: postName && isSlug(postName) ? postName : undefined,
    title: nonEmpty(child(item, 'title')) ?? '',
    bodyHtml: wordpressHtml(nonEmpty(child(item, `${ns.content}:encoded`)) ?? ''),
    excerpt: excerpt ? htmlToText(excerpt) || undefined : undefined,
    byline: creator ? (authors.get(creator) ?? creator) : undefined,
    section: sections[0]?.slug,
    sectionName: sections[0]?.name,
    sections: sections.length > 1 ? sections.slice(1) : undefined,
    tags: tags.length ? tags : undefined,
    heroImage: heroPicture(thumbnail ? attachments.get(thumbnail) : undefined),
    status,
    publishedAt: gmtDate(nonEmpty(child(item, `${ns.wp}:post_date_gmt`))),
  };
}

/** WordPress stores non-ASCII slugs percent-encoded (`%ed%95%9c`). */
function decodeNicename(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `2010-10-16 20:53:18` (UTC) → ISO; WordPress writes zeros for "no date" (drafts). */
function gmtDate(value: string | undefined): string | undefined {
  if (!value || value.startsWith('0000-00-00')) return undefined;
  const iso = `${value.replace(' ', 'T')}Z`;
  return Number.isNaN(Date.parse(iso)) ? value : new Date(iso).toISOString();
}

const BLOCK_COMMENT = /\s*<!--\s*\/?wp:[\s\S]*?-->\s*/g;
const BLOCK_LEVEL =
  /^<\/?(?:p|h[1-6]|ul|ol|li|dl|blockquote|div|figure|figcaption|table|pre|hr|section|article|aside|header|footer|address|form|iframe|video|audio|details|hgroup|nav|script|style)\b/i;

/**
 * Post content as HTML. Block-editor posts (with `<!-- wp:… -->` comments) are already HTML: the
 * comments go. Classic posts rely on WordPress's autop at display time, so a blank line makes a
 * paragraph and a single newline a line break, as WordPress would render them.
 */
export function wordpressHtml(content: string): string | undefined {
  const hasBlocks = /<!--\s*wp:/.test(content);
  const html = hasBlocks ? blockHtml(content) : autop(content);
  return html.trim() || undefined;
}

function blockHtml(content: string): string {
  return content
    .split(BLOCK_COMMENT)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('\n');
}

function autop(content: string): string {
  return content
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => (BLOCK_LEVEL.test(chunk) ? chunk : `<p>${chunk.replace(/\n/g, '<br />\n')}</p>`))
    .join('\n');
}
