import type { SiteConfig } from '../config/config';

/** What the structured data is made from: the article's own fields. */
export interface JsonLdFacts {
  url: string;
  title: string;
  excerpt: string | null;
  byline: string | null;
  publishedAt: string | null;
  updatedAt: string;
  sectionName: string | null;
  heroImageUrl: string | null;
}

/**
 * The article as a schema.org NewsArticle (JSON-LD), for a page's
 * `<script type="application/ld+json">`. Only what the article has: a field without a value is
 * left out, never filled with a guess. The byline names the author (one Person until authors
 * are their own records); SITE_NAME is the publisher.
 */
export function newsArticleJsonLd(site: SiteConfig, a: JsonLdFacts): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    url: a.url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': a.url },
    ...(a.excerpt ? { description: a.excerpt } : {}),
    ...(a.publishedAt ? { datePublished: a.publishedAt } : {}),
    dateModified: a.updatedAt,
    ...(a.byline ? { author: [{ '@type': 'Person', name: a.byline }] } : {}),
    ...(a.heroImageUrl ? { image: [a.heroImageUrl] } : {}),
    ...(a.sectionName ? { articleSection: a.sectionName } : {}),
    inLanguage: site.defaultLocale,
    publisher: { '@type': 'Organization', name: site.name, url: `${site.url}/` },
  };
}
