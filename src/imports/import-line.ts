import { z } from 'zod';
import type { FieldError } from '../common/errors/domain-error';
import { MAX_COUNT } from '../common/graphql/limits';
import { NUL_MESSAGE, nulPath } from '../common/http/nul';
import { ARTICLE_LIMITS as L, tooLong, tooMany } from '../articles/article-limits';
import {
  articleFields,
  checkArticleInput,
  INPUT_LIMITS,
  issuesToFieldErrors,
  oneBody,
  optionalText,
  slugSchema,
} from '../articles/article-schema';
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

export { ARTICLE_STATUSES, type ArticleStatus } from '../articles/article-schema';

/** What only imports take; the article's own fields have the API's rules (article-schema.ts). */
export const IMPORT_LIMITS = {
  /** article_reactions.type is varchar(32); REACTION_TYPES names are at most 32 characters too. */
  reactionType: 32,
  reactions: 50,
} as const;

/** A tag or section: its slug, or `{ slug, name }` naming what is made on first use. */
const term = z
  .union([
    slugSchema,
    z.strictObject({
      slug: slugSchema,
      name: z.string().trim().min(1).max(INPUT_LIMITS.termName, tooLong(INPUT_LIMITS.termName)).optional(),
    }),
  ])
  .transform((t) => (typeof t === 'string' ? { slug: t } : t));

/** The API's article fields, a whole article a line (a title), plus what only imports give. */
export const articleImportLineSchema = z
  .strictObject({
    ...articleFields,
    title: z.string().max(L.title, tooLong(L.title)).trim().min(1, 'must not be empty'),
    sectionName: optionalText(INPUT_LIMITS.termName),
    sections: z.array(term).max(L.sections, tooMany(L.sections)).nullish(),
    tags: z.array(term).max(L.tags, tooMany(L.tags)).nullish(),
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
      .max(IMPORT_LIMITS.reactions, tooMany(IMPORT_LIMITS.reactions))
      .nullish(),
  })
  .superRefine((line, ctx) => {
    oneBody(line, ctx);
    const types = (line.reactions ?? []).map((r) => r.type);
    types.forEach((type, i) => {
      if (types.indexOf(type) !== i)
        ctx.addIssue({ code: 'custom', path: ['reactions', i, 'type'], message: 'is given more than once' });
    });
    if (line.sectionName != null && line.section == null) {
      ctx.addIssue({ code: 'custom', path: ['sectionName'], message: 'needs section' });
    }
  });

/** A line's fields with none of them null: what it leaves out (or gives as null) it does not have. */
type WithoutNulls<T> = { [K in keyof T]?: Exclude<T[K], null> };
type HeroOut = NonNullable<z.output<typeof articleImportLineSchema>['heroImage']>;
export type ArticleImportInput = WithoutNulls<Omit<z.output<typeof articleImportLineSchema>, 'heroImage'>> & {
  title: string;
  heroImage?: WithoutNulls<HeroOut> & { url: string };
};
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

/** Validates one line (already parsed JSON, or a parser's candidate) strictly. */
export function validateImportLine(value: unknown): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '(line)', message: 'must be a JSON object' }] };
  }
  // Import bodies are read raw, past the global pipe: the same NUL check as every other input.
  const nul = nulPath(value, '');
  if (nul !== null) return { ok: false, errors: [{ path: nul, message: NUL_MESSAGE }] };
  const result = checkArticleInput(articleImportLineSchema, value, '(line)');
  return result.ok ? { ok: true, input: compact(result.value) as ArticleImportInput } : result;
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
      : { line, error: formatFieldErrors(issuesToFieldErrors(r.error.issues, '(line)')) };
  }
  if (kind === 'ranking') {
    const r = rankingLineSchema.safeParse(candidate, { reportInput: true });
    return r.success
      ? { line, ranking: r.data }
      : { line, error: formatFieldErrors(issuesToFieldErrors(r.error.issues, '(line)')) };
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

/** Drops keys whose value is null or undefined, so two equal inputs serialise (and hash) the same. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] == null) delete value[key];
    else if (key === 'heroImage') compact(value[key] as object);
  }
  return value;
}
