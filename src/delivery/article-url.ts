import type { SiteConfig } from '../config/config';

/** What an article's public address is made of. */
export interface UrlFacts {
  id: string;
  slug: string;
  /** ISO time; a story never published has no date, and its date segments are left out. */
  publishedAt: string | null;
  /** The slug of the article's own section, if it has one. */
  sectionSlug: string | null;
  /** The article's language; the site's default locale until articles carry their own. */
  locale?: string | null;
}

/**
 * The article's absolute public URL: PUBLIC_SITE_URL followed by ARTICLE_URL_TEMPLATE filled in.
 * A path segment with a placeholder that has no value (no section, no publication date) is left
 * out, so `/{section}/{slug}` of an article without a section is `/{slug}`. Dates are UTC.
 */
export function articleUrl(site: SiteConfig, a: UrlFacts): string {
  const date = a.publishedAt ? a.publishedAt.slice(0, 10).split('-') : [];
  const values: Record<string, string> = {
    section: a.sectionSlug ?? '',
    slug: a.slug,
    id: a.id,
    yyyy: date[0] ?? '',
    mm: date[1] ?? '',
    dd: date[2] ?? '',
    locale: a.locale ?? site.defaultLocale,
  };
  const path = site.articleUrlTemplate
    .split('/')
    .filter(
      (segment) =>
        !/\{(\w+)\}/.test(segment) || [...segment.matchAll(/\{(\w+)\}/g)].every((m) => values[m[1]]),
    )
    .map((segment) => segment.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name])))
    .join('/');
  return `${site.url}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * A URL an answer gives as it is (a library picture's `/api/v1/media/…`) made absolute for what
 * the open web reads (feeds, structured data): relative ones are on the public site.
 */
export function absoluteUrl(site: SiteConfig, url: string): string {
  return new URL(url, `${site.url}/`).href;
}
