import { z } from 'zod';
import type { FieldError } from '../common/errors/domain-error';
import { SLUG_PATTERN } from '../common/http/slug';
import { ARTICLE_LIMITS as L, tooLong, tooMany } from './article-limits';
import { BLOCK_TYPES, mediaUrl } from './body/blocks';

/*
 * The article write path (issue 16), step 1 of 3: one input schema. POST/PATCH /articles and
 * GraphQL createArticle/updateArticle (through the global validation pipe, see ArticleInput) and
 * every import format (imports/import-line.ts extends it with what only imports take) check an
 * article's fields here, so the same bad input gets the same field errors, path and message,
 * whichever way it arrives. Loads no Nest: the import parse workers use it.
 */

export const ARTICLE_STATUSES = ['draft', 'scheduled', 'published', 'archived'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** Fields of the Article that are output only: giving one is an error naming it. */
export const READ_ONLY_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'viewCount',
  'version',
  'url',
  'reactions',
  'breadcrumb',
  'revisions',
  'revisionId',
  'contentHash',
  'related',
  'recommendations',
]);

/** Sizes of what the article's own limits (ARTICLE_LIMITS) do not cover. */
export const INPUT_LIMITS = {
  /** bodyHtml and bodyText (an import's body has no request limit of 1 MiB). */
  body: 5_000_000,
  blockText: 100_000,
  listItems: 1000,
  url: 2048,
  alt: 1000,
  caption: 2000,
  credit: 500,
  cite: 500,
  provider: 100,
  termName: 200,
} as const;
const I = INPUT_LIMITS;

export const SLUG_MESSAGE = 'must be lower-case letters, digits and single hyphens';
const URL_MESSAGE = 'must be an http(s) URL';

/** null or missing: none (an update: clear it, where it can be cleared). */
const orNull = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Optional text: trimmed, empty meaning none. */
export function optionalText(max: number) {
  return z
    .string()
    .max(max, tooLong(max))
    .nullish()
    .transform((v) => (v == null ? v : v.trim() || null));
}

export const slugSchema = z.string().max(L.slug, tooLong(L.slug)).regex(SLUG_PATTERN, SLUG_MESSAGE);
const httpUrl = z
  .string()
  .max(I.url, tooLong(I.url))
  .refine((v) => mediaUrl(v) !== null, URL_MESSAGE);
const blockText = z.string().max(I.blockText, tooLong(I.blockText));

/**
 * One body block. Every block field is known on every block (the GraphQL BlockInput has them
 * all); what a type needs is checked by type, and normalize.ts cleans each field by its rule.
 */
export const blockSchema = z
  .strictObject({
    type: z.enum(BLOCK_TYPES as [string, ...string[]]),
    text: orNull(blockText),
    level: orNull(z.int()),
    cite: orNull(z.string().max(I.cite, tooLong(I.cite))),
    ordered: orNull(z.boolean()),
    items: orNull(z.array(blockText).max(I.listItems, tooMany(I.listItems))),
    url: orNull(z.string().max(I.url, tooLong(I.url))),
    alt: orNull(z.string().max(I.alt, tooLong(I.alt))),
    caption: orNull(z.string().max(I.caption, tooLong(I.caption))),
    credit: orNull(z.string().max(I.credit, tooLong(I.credit))),
    provider: orNull(z.string().max(I.provider, tooLong(I.provider))),
  })
  .superRefine((b, ctx) => {
    const need = (field: keyof typeof b, ok: boolean, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    switch (b.type) {
      case 'paragraph':
      case 'quote':
        need('text', b.text != null, 'is required');
        break;
      case 'heading':
        need('level', b.level === 2 || b.level === 3 || b.level === 4, 'must be 2, 3 or 4');
        need('text', b.text != null, 'is required');
        break;
      case 'list':
        need('items', b.items != null, 'is required');
        break;
      default: // image, embed
        if (b.url == null) need('url', false, 'is required');
        else need('url', mediaUrl(b.url) !== null, URL_MESSAGE);
    }
  });

/** A picture by URL, or from the media library by id (`media`): one of the two. */
export const heroImageSchema = z
  .strictObject({
    url: httpUrl.optional(),
    media: z.uuid('must be the id of a media item').optional(),
    alt: optionalText(I.alt),
    caption: optionalText(I.caption),
    credit: optionalText(I.credit),
    width: orNull(z.int().positive()),
    height: orNull(z.int().positive()),
  })
  .superRefine((h, ctx) => {
    if (h.url === undefined && h.media === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required unless media is given' });
    if (h.url !== undefined && h.media !== undefined)
      ctx.addIssue({ code: 'custom', path: ['media'], message: 'cannot be given with url' });
  });

const publishedAt = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time with a time zone' })
  .nullish()
  .transform((v) => (v == null ? v : new Date(v).toISOString()));

/**
 * An article's writable fields as the API takes them (POST, PATCH, GraphQL): each optional, null
 * meaning none. Imports extend it (import-line.ts).
 */
export const articleFields = {
  externalId: optionalText(L.externalId),
  slug: orNull(slugSchema),
  title: orNull(z.string().max(L.title, tooLong(L.title)).trim().min(1, 'must not be empty')),
  subtitle: optionalText(L.subtitle),
  dateline: optionalText(L.dateline),
  byline: optionalText(L.byline),
  source: optionalText(L.source),
  excerpt: optionalText(L.excerpt),
  body: orNull(z.array(blockSchema).max(L.blocks, tooMany(L.blocks))),
  bodyHtml: orNull(z.string().max(I.body, tooLong(I.body))),
  bodyText: orNull(z.string().max(I.body, tooLong(I.body))),
  section: orNull(slugSchema),
  sections: orNull(z.array(slugSchema).max(L.sections, tooMany(L.sections))),
  tags: orNull(z.array(slugSchema).max(L.tags, tooMany(L.tags))),
  heroImage: orNull(heroImageSchema),
  status: orNull(z.enum(ARTICLE_STATUSES)),
  publishedAt,
  relatedArticles: orNull(
    z
      .array(z.string().min(1, 'must not be empty').max(L.slug, tooLong(L.slug)))
      .max(L.relatedArticles, tooMany(L.relatedArticles)),
  ),
};

/** At most one form of the body. */
export function oneBody(
  input: { body?: unknown; bodyHtml?: unknown; bodyText?: unknown },
  ctx: z.RefinementCtx,
): void {
  const bodies = (['body', 'bodyHtml', 'bodyText'] as const).filter((k) => input[k] != null);
  if (bodies.length > 1)
    ctx.addIssue({ code: 'custom', path: [bodies[1]], message: `give only one of ${bodies.join(', ')}` });
}

export const articleInputSchema = z.strictObject(articleFields).superRefine(oneBody);
export type ArticleInputValue = z.output<typeof articleInputSchema>;

/** The plain words every article field error is given in, whichever transport it came by. */
const plainWords: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'is required';
      const words: Record<string, string> = {
        string: 'must be a string',
        array: 'must be a list',
        object: 'must be an object',
        number: 'must be a number',
        int: 'must be a whole number',
        boolean: 'must be true or false',
      };
      return words[issue.expected] ?? `must be ${issue.expected}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_big':
      if (issue.origin === 'string') return tooLong(Number(issue.maximum));
      if (issue.origin === 'array') return tooMany(Number(issue.maximum));
      return `must be at most ${issue.maximum}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} items`;
      return issue.inclusive === false
        ? `must be more than ${issue.minimum}`
        : `must be at least ${issue.minimum}`;
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return undefined;
  }
};

/** zod's issues as field errors: dotted paths (`body.0.url`), read-only fields named as such. */
export function issuesToFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  root = '(input)',
  prefix: PropertyKey[] = [],
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = [...prefix, ...issue.path].map(String);
    if (issue.code === 'invalid_union' && issue.errors.length) {
      // A tag given as a slug or as { slug, name }: the errors of the form it was given in.
      const fits = issue.errors.find(
        (branch) => !branch.some((i) => i.code === 'invalid_type' && !i.path.length),
      );
      out.push(...issuesToFieldErrors(fits ?? issue.errors[0], root, [...prefix, ...issue.path]));
      continue;
    }
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
    out.push({ path: base.join('.') || root, message: issue.message });
  }
  return out;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Checks a value against one of the article schemas, errors in the shared words. */
export function checkArticleInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  root?: string,
): Checked<z.output<S>> {
  const result = schema.safeParse(value, { error: plainWords, reportInput: true });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: issuesToFieldErrors(result.error.issues, root) };
}
