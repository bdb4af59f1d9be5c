import slugify from 'slugify';
import type { FieldError } from '../common/errors/domain-error';
import { SLUG_MAX } from '../common/http/slug';
import { normalizeHeroImage, writeRowOf, type ArticleSnapshot, type HeroImageValue } from './article-input';
import type { ArticleStatus } from './article-status';
import type { ArticleWriteRow } from './article.repository';
import type { Block } from './body/blocks';
import { bodyFromInput, makeExcerpt, renderBody, type RawBlock, type RenderedBody } from './body/normalize';

/*
 * The article write path (issue 16), step 2 of 3: pure preparation.
 *   1. article-schema.ts    one input schema (zod) for REST, GraphQL and every import format;
 *   2. article-prepare.ts   validated fields -> the row, snapshot and content hash to store
 *                           (scheduling, slugs, status, body conversion), no database;
 *   3. article-batch.ts     one batch-first write: resolves keys, sections, tags and pins in bulk,
 *                           stores through ArticleStore (all SQL on articles, tags, links and
 *                           revisions) and plans the events with planArticleEvents.
 * A POST is a batch of one (ArticleWriter); an import a batch of 250 (ImportService).
 */

/** What a write gives for one article: every field it stores, the body still in its given form. */
export interface ArticleFields {
  externalId?: string;
  slug?: string;
  /** Required for a new article; an update always has one (the stored title at least). */
  title?: string;
  subtitle?: string;
  dateline?: string;
  byline?: string;
  source?: string;
  excerpt?: string;
  body?: RawBlock[];
  bodyHtml?: string;
  bodyText?: string;
  section?: string;
  /** Imports only: the name of the main section when `createSections` makes it. */
  sectionName?: string;
  sections?: { slug: string; name?: string }[];
  tags?: { slug: string; name?: string }[];
  heroImage?: HeroImageValue;
  status?: ArticleStatus;
  publishedAt?: string;
  relatedArticles?: string[];
  /** Imports only: applied when the article is created, never lowering a live count. */
  reactions?: { type: string; count: number }[];
}

/** The fields once the body is converted: its source forms are no longer kept. */
export type LineFields = Omit<ArticleFields, 'body' | 'bodyHtml' | 'bodyText'>;

/** What the batch found in the database for a line's key. */
export interface ExistingArticle {
  id: string;
  slug: string;
  externalId: string | null;
  storedStatus: ArticleStatus;
  publishedAt: Date | null;
  contentHash: string | null;
  deleted: boolean;
  /** The stored version (1, then one more per stored change): what If-Match is compared with. */
  version: number;
}

export interface ResolvedRefs {
  sectionId: string | null;
  /** Extra sections: ids and slugs in input order, without repeats. */
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

/** The costly, database-free part of an input: its blocks, their renderings and the excerpt. */
export interface PreparedBody {
  blocks: Block[];
  errors: FieldError[];
  rendered: RenderedBody;
  excerpt: string | null;
}

export function prepareBody(input: Pick<ArticleFields, 'body' | 'bodyHtml' | 'bodyText' | 'excerpt'>) {
  const body = bodyFromInput(input);
  const blocks = body?.blocks ?? [];
  const prepared: PreparedBody = {
    blocks,
    errors: body?.errors ?? [],
    rendered: renderBody(blocks),
    excerpt: input.excerpt ?? makeExcerpt(blocks),
  };
  return prepared;
}

/** The slug made from a title (before `-2`, `-3`… on a clash). */
export function baseSlug(title: string): string {
  return (
    slugify(title.trim(), { lower: true, strict: true, trim: true })
      .slice(0, SLUG_MAX - 8)
      .replace(/-+$/, '') || 'article'
  );
}

/** Slugs tried for a new article before a random suffix: base, base-2 … base-SLUG_TRIES. */
const SLUG_TRIES = 20;

export function slugCandidates(base: string): string[] {
  const out = [base];
  for (let n = 2; n <= SLUG_TRIES; n++) out.push(`${base}-${n}`);
  return out;
}

/** Status and date from what was asked: a future date schedules, a past one publishes. */
export function schedule(
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
    return { status: at.getTime() > now.getTime() ? 'scheduled' : 'published', publishedAt: at };
  }
  return { status, publishedAt };
}

/** Sections and pinned articles by slug or id, from what the batch looked up in bulk. */
export function resolveRefs(
  input: LineFields,
  sectionIds: Map<string, string>,
  related: { id: string; slug: string }[],
  media: Set<string>,
): ResolvedRefs | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const heroMedia = input.heroImage?.media?.toLowerCase();
  if (heroMedia && !media.has(heroMedia))
    errors.push({ path: 'heroImage.media', message: `no media ${heroMedia} in the library` });
  let sectionId: string | null = null;
  if (input.section) {
    sectionId = sectionIds.get(input.section) ?? null;
    if (!sectionId) errors.push({ path: 'section', message: `no section ${input.section}` });
  }
  const sections: { id: string; slug: string }[] = [];
  (input.sections ?? []).forEach((s, i) => {
    const id = sectionIds.get(s.slug);
    if (!id) errors.push({ path: `sections[${i}]`, message: `no section ${s.slug}` });
    else if (!sections.some((x) => x.id === id)) sections.push({ id, slug: s.slug });
  });
  const relatedIds: string[] = [];
  [...new Set(input.relatedArticles ?? [])].forEach((k, i) => {
    const hit = related.find((r) => r.id === k.toLowerCase() || r.slug === k);
    if (!hit) errors.push({ path: `relatedArticles[${i}]`, message: `no article ${k}` });
    else if (!relatedIds.includes(hit.id)) relatedIds.push(hit.id);
  });
  return errors.length ? { errors } : { sectionId, sections, relatedIds };
}

/**
 * The fields are the whole article, except what they leave out that a stored article keeps: its
 * slug (given here), its externalId, and its status and date when the fields name neither.
 * Returns the field errors instead when the article cannot be written.
 */
export function prepareArticle(
  input: LineFields,
  slug: string,
  refs: ResolvedRefs,
  existing: ExistingArticle | null,
  now: Date,
  body: PreparedBody,
): PreparedArticle | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const title = (input.title ?? '').trim();
  if (input.title === undefined) errors.push({ path: 'title', message: 'is required' });
  else if (!title) errors.push({ path: 'title', message: 'must not be empty' });
  errors.push(...body.errors);

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

  const snapshot: ArticleSnapshot = {
    slug,
    externalId: input.externalId ?? existing?.externalId ?? null,
    title,
    subtitle: input.subtitle ?? null,
    dateline: input.dateline ?? null,
    byline: input.byline ?? null,
    source: input.source ?? null,
    excerpt: body.excerpt,
    body: body.blocks,
    section: input.section ?? null,
    sections: refs.sections.map((s) => s.slug),
    tags: [...tags.keys()],
    heroImage: normalizeHeroImage(input.heroImage),
    status: when.status,
    publishedAt: when.publishedAt?.toISOString() ?? null,
    relatedArticles: refs.relatedIds,
  };
  return {
    row: writeRowOf(snapshot, body.rendered, refs.sectionId, when.publishedAt),
    snapshot,
    tags: [...tags].map(([s, name]) => ({ slug: s, name })),
    sectionIds: refs.sections.map((s) => s.id),
    relatedIds: refs.relatedIds,
  };
}

export { makeExcerpt };
