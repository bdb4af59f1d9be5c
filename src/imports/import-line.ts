import { z } from 'zod';
import { SLUG_PATTERN } from '../common/http/slug';
import type { FieldError } from '../common/errors/domain-error';
import { MAX_COUNT } from '../common/graphql/limits';
import { NUL_MESSAGE, nulPath } from '../common/http/nul';
import { ARTICLE_LIMITS, tooLong, tooMany } from '../articles/article-limits';
import {
  rankingLineSchema,
  sectionLineSchema,
  SITE_LINE_KINDS,
  type RankingLine,
  type SectionLine,
} from './site-lines';

/**
 * One import line: the contract's Article input, as every import format (NDJSON, JSON, RSS, Atom,
 * WordPress WXR, IPTC ninjs) produces it. Parsers build candidates and pass them through
 * `validateImportLine`, so everything a parser yields has the same checked shape.
 *
 * Shape decisions where the contract is silent:
 * - `tags` and `sections` come out as `[{ slug, name? }]`; a line may give plain slugs
 *   (`"tags": ["politics"]`) or objects (`"tags": [{ "slug": "politics", "name": "Politics" }]`).
 *   `name` is what a tag or section made on first use is called; absent, the writer decides.
 * - `section` is the main section's slug; `sectionName` (imports only) names it for `createSections`.
 * - `null` for an optional field means "none", the same as leaving it out; the output omits it.
 * - `publishedAt` comes out as ISO-8601 UTC with milliseconds.
 * - `bodyHtml` is NOT sanitised here: the article writer sanitises it as for any POST body.
 * - At most one of `body`, `bodyHtml`, `bodyText`.
 */

export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Fields of the Article that are output only: giving one in a line is an error naming it. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'viewCount',
  'breadcrumb',
  'revisions',
  'revisionId',
  'contentHash',
  'related',
  'recommendations',
]);

/** What only imports take; the article's own fields have the API's limits (ARTICLE_LIMITS). */
export const IMPORT_LIMITS = {
  body: 5_000_000,
  blockText: 100_000,
  url: 2048,
  /** article_reactions.type is varchar(32); REACTION_TYPES names are at most 32 characters too. */
  reactionType: 32,
} as const;
const L = ARTICLE_LIMITS;

const SLUG_MESSAGE = 'must be lower-case letters, digits and single hyphens';

/** Optional string: trimmed; null or missing means none. */
function optionalText(max: number) {
  return z
    .string()
    .max(max, tooLong(max))
    .nullish()
    .transform((v) => (v == null ? undefined : v.trim() || undefined));
}

const slug = z.string().max(L.slug, tooLong(L.slug)).regex(SLUG_PATTERN, SLUG_MESSAGE);
const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(IMPORT_LIMITS.url);
const blockText = z.string().max(IMPORT_LIMITS.blockText);

const term = z
  .union([slug, z.strictObject({ slug, name: z.string().trim().min(1).max(200).optional() })])
  .transform((t) => (typeof t === 'string' ? { slug: t } : t));

export const blockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('paragraph'), text: blockText }),
  z.strictObject({ type: z.literal('heading'), level: z.int().min(2).max(4), text: blockText }),
  z.strictObject({ type: z.literal('quote'), text: blockText, cite: z.string().max(500).optional() }),
  z.strictObject({
    type: z.literal('list'),
    ordered: z.boolean(),
    items: z.array(blockText).max(1000),
  }),
  z.strictObject({
    type: z.literal('image'),
    url: httpUrl,
    alt: z.string().max(1000),
    caption: z.string().max(2000).optional(),
    credit: z.string().max(500).optional(),
  }),
  z.strictObject({ type: z.literal('embed'), url: httpUrl, provider: z.string().max(100).optional() }),
]);

const heroImageSchema = z.strictObject({
  url: httpUrl,
  alt: optionalText(1000),
  caption: optionalText(2000),
  credit: optionalText(500),
  width: z
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? undefined),
  height: z
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? undefined),
});

const publishedAt = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time with a time zone' })
  .nullish()
  .transform((v) => (v == null ? undefined : new Date(v).toISOString()));

export const articleImportLineSchema = z
  .strictObject({
    externalId: optionalText(L.externalId),
    slug: slug.nullish().transform((v) => v ?? undefined),
    title: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .trim()
      .min(1, 'must not be empty')
      .max(L.title, tooLong(L.title)),
    subtitle: optionalText(L.subtitle),
    dateline: optionalText(L.dateline),
    byline: optionalText(L.byline),
    source: optionalText(L.source),
    excerpt: optionalText(L.excerpt),
    body: z
      .array(blockSchema)
      .max(L.blocks, tooMany(L.blocks))
      .nullish()
      .transform((v) => v ?? undefined),
    bodyHtml: optionalText(IMPORT_LIMITS.body),
    bodyText: optionalText(IMPORT_LIMITS.body),
    section: slug.nullish().transform((v) => v ?? undefined),
    sectionName: optionalText(200),
    sections: z
      .array(term)
      .max(L.sections, tooMany(L.sections))
      .nullish()
      .transform((v) => v ?? undefined),
    tags: z
      .array(term)
      .max(L.tags, tooMany(L.tags))
      .nullish()
      .transform((v) => v ?? undefined),
    heroImage: heroImageSchema.nullish().transform((v) => v ?? undefined),
    status: z
      .enum(ARTICLE_STATUSES)
      .nullish()
      .transform((v) => v ?? undefined),
    publishedAt,
    relatedArticles: z
      .array(z.string().min(1).max(L.slug, tooLong(L.slug)))
      .max(L.relatedArticles, tooMany(L.relatedArticles))
      .nullish()
      .transform((v) => v ?? undefined),
    reactions: z
      .array(
        z.strictObject({
          type: z.string().min(1).max(IMPORT_LIMITS.reactionType),
          // What the API can show (a GraphQL Int): a larger count would break every read of it.
          count: z
            .int()
            .min(0)
            .max(MAX_COUNT, `must be at most ${MAX_COUNT} (the largest count the API shows)`),
        }),
      )
      .max(50)
      .nullish()
      .transform((v) => v ?? undefined),
  })
  .superRefine((line, ctx) => {
    const bodies = (['body', 'bodyHtml', 'bodyText'] as const).filter((k) => line[k] !== undefined);
    if (bodies.length > 1) {
      ctx.addIssue({ code: 'custom', path: [bodies[1]], message: `give only one of ${bodies.join(', ')}` });
    }
    const types = (line.reactions ?? []).map((r) => r.type);
    types.forEach((type, i) => {
      if (types.indexOf(type) !== i)
        ctx.addIssue({ code: 'custom', path: ['reactions', i, 'type'], message: 'is given more than once' });
    });
    if (line.sectionName !== undefined && line.section === undefined) {
      ctx.addIssue({ code: 'custom', path: ['sectionName'], message: 'needs section' });
    }
  });

export type ArticleImportInput = z.output<typeof articleImportLineSchema>;
export type ImportBlock = z.output<typeof blockSchema>;
export type ImportTerm = { slug: string; name?: string };
export type ImportHeroImage = NonNullable<ArticleImportInput['heroImage']>;

/**
 * One item of an import, in input order. Exactly one of `input`, `section`, `ranking`, `skipped`,
 * `error` is set.
 */
export interface ImportItem {
  /** 1-based: the physical line for NDJSON, the item's position for every other format. */
  line: number;
  externalId?: string;
  input?: ArticleImportInput;
  /** A `"kind": "section"` line of a site export (NDJSON and JSON only). */
  section?: SectionLine;
  /** A `"kind": "ranking"` line: a curated ranking (NDJSON and JSON only). */
  ranking?: RankingLine;
  /** Not an article by design (a WordPress page, a ninjs picture…): counted, never an error. */
  skipped?: true;
  /** Why this item cannot be imported; the other items go on. */
  error?: string;
  /** With `input`: what the editor should know about how it was imported (the summary's notes). */
  note?: string;
}

export type ValidationResult = { ok: true; input: ArticleImportInput } | { ok: false; errors: FieldError[] };

function issuesToFieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const readOnly = base.length === 0 && READ_ONLY_FIELDS.has(key);
        out.push({
          path: [...base, key].join('.'),
          message: readOnly ? 'is read-only' : 'is not a known field',
        });
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    out.push({ path: base.join('.') || '(line)', message: missing ? 'is required' : issue.message });
  }
  return out;
}

/** Validates one line (already parsed JSON, or a parser's candidate) strictly. */
export function validateImportLine(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '(line)', message: 'must be a JSON object' }] };
  }
  // Import bodies are read raw, past the global pipe: the same NUL check as every other input.
  const nul = nulPath(value, '');
  if (nul !== null) return { ok: false, errors: [{ path: nul, message: NUL_MESSAGE }] };
  const result = articleImportLineSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, input: compact(result.data) };
  return { ok: false, errors: issuesToFieldErrors(result.error.issues) };
}

/**
 * Reaction types the server does not count (REACTION_TYPES): their counts could never be shown
 * nor changed, so a line giving one fails as a whole.
 */
export function reactionTypeErrors(
  input: ArticleImportInput,
  reactionTypes: readonly string[],
): FieldError[] {
  const errors: FieldError[] = [];
  (input.reactions ?? []).forEach((r, i) => {
    if (!reactionTypes.includes(r.type))
      errors.push({ path: `reactions.${i}.type`, message: `must be one of ${reactionTypes.join(', ')}` });
  });
  return errors;
}

export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}

/**
 * The item of one line of the native formats (NDJSON, a JSON array): an article, or a section or
 * ranking line of a site export when it names its `kind`.
 */
export function toSiteItem(line: number, candidate: unknown): ImportItem {
  const kind =
    typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate)
      ? (candidate as { kind?: unknown }).kind
      : undefined;
  if (kind === undefined) return toImportItem(line, candidate);
  const nul = nulPath(candidate, '');
  if (nul !== null) return { line, error: formatFieldErrors([{ path: nul, message: NUL_MESSAGE }]) };
  if (kind === 'section') {
    const r = sectionLineSchema.safeParse(candidate, { reportInput: true });
    return r.success
      ? { line, section: r.data }
      : { line, error: formatFieldErrors(issuesToFieldErrors(r.error.issues)) };
  }
  if (kind === 'ranking') {
    const r = rankingLineSchema.safeParse(candidate, { reportInput: true });
    return r.success
      ? { line, ranking: r.data }
      : { line, error: formatFieldErrors(issuesToFieldErrors(r.error.issues)) };
  }
  return {
    line,
    error: `kind: must be one of ${SITE_LINE_KINDS.join(', ')} (or left out for an article)`,
  };
}

/** The item for one candidate: validated input, or an error naming the fields. */
export function toImportItem(line: number, candidate: unknown): ImportItem {
  const externalId = externalIdOf(candidate);
  const result = validateImportLine(candidate);
  if (result.ok) {
    const id = result.input.externalId;
    return { line, ...(id ? { externalId: id } : {}), input: result.input };
  }
  return { line, ...(externalId ? { externalId } : {}), error: formatFieldErrors(result.errors) };
}

function externalIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { externalId?: unknown }).externalId;
  return typeof id === 'string' && id.trim() ? id.trim().slice(0, L.externalId) : undefined;
}

/** Drops keys whose value is undefined, so two equal inputs serialise (and hash) the same. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
    else if (key === 'heroImage') compact(value[key] as object);
  }
  return value;
}
