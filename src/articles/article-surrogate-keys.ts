import type { ArticleSummary } from './article.model';

/** Surrogate keys naming an article and its sections, for purging shared caches. */
export function articleKeys(a: ArticleSummary): string[] {
  return [
    `article:${a.id}`,
    ...a.breadcrumb.map((s) => `section:${s.slug}`),
    ...a.sections.map((s) => `section:${s.slug}`),
  ];
}

export function articleListKeys(body: unknown): string[] {
  const list = body as { data: ArticleSummary[] };
  return ['articles', ...list.data.flatMap(articleKeys)];
}
