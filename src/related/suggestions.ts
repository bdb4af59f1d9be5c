import type { ArticleReader, ArticleRecord } from '../articles/article-reader.service';
import type { ArticleSummary } from '../articles/article.model';

/** How a list's articles come back: summaries for REST, records for GraphQL. */
export type ArticleShape = 'summary' | 'record';
export type ArticleOf<S extends ArticleShape> = S extends 'summary' ? ArticleSummary : ArticleRecord;

/** Public articles by id in one bulk fetch, in the order given (missing ones left out). */
export async function publicArticles<S extends ArticleShape>(
  reader: ArticleReader,
  ids: string[],
  shape: S,
): Promise<ArticleOf<S>[]> {
  return (
    shape === 'summary'
      ? await reader.summariesByIds(ids, { editor: false })
      : // Without bodies: a page shows suggestions as teasers, and recommendations read three times
        // the ids they show; a query that asks for a body gets it through the body loader.
        await reader.recordsByIds(ids, { editor: false }, false)
  ) as ArticleOf<S>[];
}

/** Suggestions from (id, reason) rows: one bulk fetch, order kept, non-public ones dropped. */
export async function toSuggestions<S extends ArticleShape>(
  reader: ArticleReader,
  rows: { id: string; reason: string }[],
  shape: S,
): Promise<{ reason: string; article: ArticleOf<S> }[]> {
  const articles = await publicArticles(
    reader,
    rows.map((r) => r.id),
    shape,
  );
  const byId = new Map(articles.map((a) => [a.id, a]));
  return rows
    .filter((r) => byId.has(r.id))
    .map((r) => ({ reason: r.reason, article: byId.get(r.id) as ArticleOf<S> }));
}

/** The id and section of an article given to a GraphQL field resolver (record or whole article). */
export function sourceOf(a: ArticleRecord | ArticleSummary): { id: string; sectionId: string | null } {
  return { id: a.id, sectionId: 'sectionId' in a ? a.sectionId : (a.section?.id ?? null) };
}
