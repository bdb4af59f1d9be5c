import { createHash } from 'node:crypto';
import type { ArticleStatus } from './article-status';
import type { ArticleWriteRow } from './article.repository';
import type { Block } from './body/blocks';
import type { RawBlock } from './body/normalize';

/**
 * What the writer accepts: the API's ArticleInput, plus what only imports send (tag names,
 * reaction counts). Transports hand their validated DTOs over as they are.
 */
export interface WriterInput {
  slug?: string | null;
  externalId?: string | null;
  title?: string | null;
  subtitle?: string | null;
  dateline?: string | null;
  byline?: string | null;
  source?: string | null;
  excerpt?: string | null;
  body?: RawBlock[] | null;
  bodyHtml?: string | null;
  bodyText?: string | null;
  section?: string | null;
  sections?: string[] | null;
  tags?: (string | { slug: string; name?: string | null })[] | null;
  heroImage?: HeroImageValue | null;
  status?: ArticleStatus | null;
  publishedAt?: string | null;
  relatedArticles?: string[] | null;
  /** Imports only: applied when the article is created, never lowering a live count. */
  reactions?: { type: string; count: number }[] | null;
}

/** A picture by URL, or one of the media library's (`media`: its id) with what the editor set. */
export interface HeroImageValue {
  url?: string;
  media?: string;
  alt?: string | null;
  caption?: string | null;
  credit?: string | null;
  width?: number | null;
  height?: number | null;
}

/** The article's plain text fields, the same in the input, the snapshot and the stored row. */
export const ARTICLE_TEXT_FIELDS = [
  'slug',
  'externalId',
  'title',
  'subtitle',
  'dateline',
  'byline',
  'source',
  'excerpt',
] as const;

/** An article as an input document: what revisions keep, exports write and the hash covers. */
export interface ArticleSnapshot {
  slug: string;
  externalId: string | null;
  title: string;
  subtitle: string | null;
  dateline: string | null;
  byline: string | null;
  source: string | null;
  excerpt: string | null;
  body: Block[];
  section: string | null;
  sections: string[];
  tags: string[];
  heroImage: HeroImageValue | null;
  status: ArticleStatus;
  publishedAt: string | null;
  relatedArticles: string[];
}

export function contentHash(snapshot: ArticleSnapshot): string {
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('base64url');
}

/**
 * The row stored for a snapshot, the same whether one article is written or an import batch:
 * the renderings come from the blocks, the hash from the snapshot.
 */
export function writeRowOf(
  snapshot: ArticleSnapshot,
  rendered: { bodyHtml: string; bodyText: string },
  sectionId: string | null,
  publishedAt: Date | null,
): ArticleWriteRow {
  return {
    slug: snapshot.slug,
    externalId: snapshot.externalId,
    title: snapshot.title,
    subtitle: snapshot.subtitle,
    dateline: snapshot.dateline,
    byline: snapshot.byline,
    source: snapshot.source,
    excerpt: snapshot.excerpt,
    body: snapshot.body,
    bodyHtml: rendered.bodyHtml,
    bodyText: rendered.bodyText,
    sectionId,
    heroImage: snapshot.heroImage as Record<string, unknown> | null,
    status: snapshot.status,
    publishedAt,
    contentHash: contentHash(snapshot),
  };
}

export function normalizeHeroImage(h: HeroImageValue | null | undefined): HeroImageValue | null {
  if (!h) return null;
  const described = { alt: h.alt ?? null, caption: h.caption ?? null, credit: h.credit ?? null };
  // A library picture's URL and size come from the library when it is read.
  if (h.media) return { media: h.media.toLowerCase(), ...described };
  return { url: h.url, ...described, width: h.width ?? null, height: h.height ?? null };
}
