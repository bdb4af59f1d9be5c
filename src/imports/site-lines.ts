import { z } from 'zod';
import { SLUG_MAX, SLUG_PATTERN } from '../common/http/slug';

/**
 * The lines of a site export that are not articles, so that an export imported into an empty
 * database rebuilds what readers see: `"kind": "section"` lines (parents before children) carry
 * the section tree, `"kind": "ranking"` lines the curated rankings. Their limits are those of
 * `POST /sections` and `PUT /rankings/{slug}`.
 */
const slug = z
  .string()
  .max(SLUG_MAX)
  .regex(SLUG_PATTERN, 'must be lower-case letters, digits and single hyphens');

export const sectionLineSchema = z.strictObject({
  kind: z.literal('section'),
  slug,
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z
    .string()
    .max(5000)
    .nullish()
    .transform((v) => v ?? null),
  parent: slug.nullish().transform((v) => v ?? null),
});

export const rankingLineSchema = z.strictObject({
  kind: z.literal('ranking'),
  slug,
  title: z.string().trim().min(1, 'must not be empty').max(300),
  articles: z.array(z.string().min(1).max(SLUG_MAX)).max(100),
});

export type SectionLine = z.output<typeof sectionLineSchema>;
export type RankingLine = z.output<typeof rankingLineSchema>;

/** The kinds a line may name; a line without `kind` is an article. */
export const SITE_LINE_KINDS = ['section', 'ranking'] as const;

/** A section as its export line (the same shape an import reads back). */
export function sectionLine(s: {
  slug: string;
  name: string;
  description: string | null;
  parent: string | null;
}) {
  const line: Record<string, unknown> = { kind: 'section', slug: s.slug, name: s.name };
  if (s.description !== null) line.description = s.description;
  if (s.parent !== null) line.parent = s.parent;
  return line;
}

export function rankingLine(r: { slug: string; title: string; articles: string[] }) {
  return { kind: 'ranking', slug: r.slug, title: r.title, articles: r.articles };
}
