import slugify from 'slugify';
import type { FieldError } from '../common/errors/domain-error';
import { SLUG_MAX } from '../common/http/id-or-slug.pipe';
import { normalizeHeroImage, writeRowOf, type ArticleSnapshot } from '../articles/article-input';
import type { ArticleStatus } from '../articles/article-status';
import type { ArticleWriteRow } from '../articles/article.repository';
import type { Block } from '../articles/body/blocks';
import { bodyFromInput, makeExcerpt, renderBody, type RenderedBody } from '../articles/body/normalize';
import type { ArticleImportInput } from './import-line';

/**
 * The pure half of the set-based import path: one validated line (and what the batch resolved
 * for it) into the row, snapshot and content hash the article writer would make for the same
 * input, so a bulk-imported article equals one created through POST /articles.
 */

/** What the batch found in the database for a line's key. */
export interface ExistingArticle {
  id: string;
  slug: string;
  externalId: string | null;
  storedStatus: ArticleStatus;
  publishedAt: Date | null;
  contentHash: string | null;
  deleted: boolean;
}

export interface ResolvedRefs {
  sectionId: string | null;
  /** Extra sections: ids and slugs in line order, without repeats. */
  sections: { id: string; slug: string }[];
  relatedIds: string[];
}

export interface PreparedArticle {
  row: ArticleWriteRow;
  snapshot: ArticleSnapshot;
  tags: { slug: string; name: string }[];
  sectionIds: string[];
  relatedIds: string[];
}

/** The costly, database-free part of a line: its blocks, their renderings and the excerpt. */
export interface PreparedBody {
  blocks: Block[];
  errors: FieldError[];
  rendered: RenderedBody;
  excerpt: string | null;
}

/** A line once its body is converted: the body's source fields are no longer kept. */
export type LineFields = Omit<ArticleImportInput, 'body' | 'bodyHtml' | 'bodyText'>;

export function prepareBody(input: ArticleImportInput): PreparedBody {
  const body = bodyFromInput(input);
  const blocks = body?.blocks ?? [];
  return {
    blocks,
    errors: body?.errors ?? [],
    rendered: renderBody(blocks),
    excerpt: input.excerpt ?? makeExcerpt(blocks),
  };
}

/** The slug made from a title, as the writer makes it (before `-2`, `-3`… on a clash). */
export function baseSlug(title: string): string {
  return (
    slugify(title.trim(), { lower: true, strict: true, trim: true })
      .slice(0, SLUG_MAX - 8)
      .replace(/-+$/, '') || 'article'
  );
}

/** Status and date as the writer settles them: a future date schedules, a past one publishes. */
function schedule(
  status: ArticleStatus,
  publishedAt: Date | null,
  errors: FieldError[],
  now: Date,
): { status: ArticleStatus; publishedAt: Date | null } {
  if (status === 'published' || status === 'scheduled') {
    if (!publishedAt && status === 'scheduled') {
      errors.push({ path: 'publishedAt', message: 'is required to schedule an article' });
      return { status, publishedAt };
    }
    const at = publishedAt ?? now;
    return { status: at.getTime() > Date.now() ? 'scheduled' : 'published', publishedAt: at };
  }
  return { status, publishedAt };
}

/**
 * A line is the whole article (an import replaces the content), except what it leaves out that an
 * article keeps: its slug, its externalId, and its status and date when the line names neither.
 * Returns the field errors instead when the line cannot be written.
 */
export function prepareArticle(
  input: LineFields,
  slug: string,
  refs: ResolvedRefs,
  existing: ExistingArticle | null,
  now: Date,
  body: PreparedBody,
): PreparedArticle | { errors: FieldError[] } {
  const errors: FieldError[] = [...body.errors];
  const blocks = body.blocks;

  let status: ArticleStatus = input.status ?? 'draft';
  let publishedAt: Date | null = input.publishedAt ? new Date(input.publishedAt) : null;
  if (existing && input.status === undefined && input.publishedAt === undefined) {
    status = existing.storedStatus;
    publishedAt = existing.publishedAt;
  } else if (existing && input.publishedAt === undefined) {
    publishedAt = existing.publishedAt;
  }
  const when = schedule(status, publishedAt, errors, now);
  if (errors.length) return { errors };

  const tags = new Map<string, string>();
  for (const t of input.tags ?? []) if (!tags.has(t.slug)) tags.set(t.slug, t.name ?? t.slug);

  const title = input.title.trim();
  const excerpt = body.excerpt;
  const heroImage = normalizeHeroImage(input.heroImage);
  const snapshot: ArticleSnapshot = {
    slug,
    externalId: input.externalId ?? existing?.externalId ?? null,
    title,
    subtitle: input.subtitle ?? null,
    dateline: input.dateline ?? null,
    byline: input.byline ?? null,
    source: input.source ?? null,
    excerpt,
    body: blocks,
    section: input.section ?? null,
    sections: refs.sections.map((s) => s.slug),
    tags: [...tags.keys()],
    heroImage,
    status: when.status,
    publishedAt: when.publishedAt?.toISOString() ?? null,
    relatedArticles: refs.relatedIds,
  };
  const row = writeRowOf(snapshot, body.rendered, refs.sectionId, when.publishedAt);
  return {
    row,
    snapshot,
    tags: [...tags].map(([s, name]) => ({ slug: s, name })),
    sectionIds: refs.sections.map((s) => s.id),
    relatedIds: refs.relatedIds,
  };
}
