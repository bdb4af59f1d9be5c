import DataLoader from 'dataloader';
import { isStaff } from '../common/auth/role';
import type { DatelineRequest } from '../common/http/request-context';
import type { SectionRef } from '../sections/section.model';
import type { ArticleReader, ArticleRecord } from './article-reader.service';
import type { Article, ReactionCount, Revision, Tag } from './article.model';

export const ARTICLE_LOADERS = 'articles';

/** One request's batched lookups for article fields: one query per kind, whatever the page size. */
export interface ArticleLoaders {
  tags: DataLoader<string, Tag[]>;
  sections: DataLoader<string, SectionRef[]>;
  reactions: DataLoader<string, ReactionCount[]>;
  related: DataLoader<string, ArticleRecord[]>;
  bodies: DataLoader<string, Pick<Article, 'body' | 'bodyHtml' | 'bodyText'>>;
  /** Editors only: the resolver checks the role before it loads. */
  revisions: DataLoader<string, Revision[]>;
}

export function createArticleLoaders(reader: ArticleReader, req: DatelineRequest): ArticleLoaders {
  const viewer = { editor: isStaff(req.principal ?? null) };
  return {
    tags: new DataLoader((ids) => reader.tagsOf(ids)),
    sections: new DataLoader((ids) => reader.sectionsOf(ids)),
    reactions: new DataLoader((ids) => reader.reactionsOf(ids)),
    related: new DataLoader((ids) => reader.relatedOf(ids, viewer)),
    bodies: new DataLoader((ids) => reader.bodiesOf(ids)),
    revisions: new DataLoader((ids) => reader.revisionsOf(ids)),
  };
}
