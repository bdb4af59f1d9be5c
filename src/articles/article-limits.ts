import { SLUG_MAX } from '../common/http/slug';

/**
 * The sizes an article input may have, whichever way it arrives: POST/PATCH and GraphQL (the
 * class-validator DTO) and every import format (the zod line schema) take their numbers and
 * their messages from here, so a field refused one way is refused the same way, in the same
 * words, every other way. Column sizes follow them (external_id is varchar(512)).
 */
export const ARTICLE_LIMITS = {
  slug: SLUG_MAX,
  externalId: 512,
  title: 500,
  subtitle: 1000,
  dateline: 200,
  byline: 500,
  source: 200,
  excerpt: 2000,
  /** Body blocks. */
  blocks: 10_000,
  sections: 50,
  tags: 100,
  relatedArticles: 50,
} as const;

export const tooLong = (max: number) => `must be at most ${max} characters`;
export const tooMany = (max: number) => `must have at most ${max} items`;

/** How much of a refused value an error may repeat back (an import error's externalId). */
export const ECHO_MAX = 200;

/** A value as an error repeats it: cut to ECHO_MAX characters (whole code points). */
export function echoed(value: string): string {
  if (value.length <= ECHO_MAX) return value;
  return Array.from(value).slice(0, ECHO_MAX).join('');
}
