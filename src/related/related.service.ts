import { Injectable } from '@nestjs/common';
import { ArticleReader, type Viewer } from '../articles/article-reader.service';
import { DomainError } from '../common/errors/domain-error';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { SectionsService } from '../sections/sections.service';
import { RelatedRepository, type RelatedRow } from './related.repository';
import { toSuggestions, type ArticleShape } from './suggestions';

export interface SourceArticle {
  id: string;
  sectionId: string | null;
}

/** Related articles: editor pins, then shared tags, the section and its ancestors, similar text. */
@Injectable()
export class RelatedService {
  constructor(
    private readonly repo: RelatedRepository,
    private readonly reader: ArticleReader,
    private readonly sections: SectionsService,
  ) {}

  /** For an article the viewer may see (404 otherwise); the list itself is public articles only. */
  async forArticle<S extends ArticleShape>(key: IdOrSlug, viewer: Viewer, limit: number, shape: S) {
    const source = await this.reader.findRecord(key, viewer);
    if (!source) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return this.of(source, limit, shape);
  }

  async of<S extends ArticleShape>(source: SourceArticle, limit: number, shape: S) {
    return toSuggestions(this.reader, await this.rows(source, limit), shape);
  }

  /** Ids and reasons, best first: one query. */
  async rows(source: SourceArticle, limit: number): Promise<RelatedRow[]> {
    const tree = await this.sections.tree();
    const ancestorIds = source.sectionId
      ? tree
          .breadcrumb(source.sectionId)
          .map((s) => s.id)
          .filter((id) => id !== source.sectionId)
      : [];
    return this.repo.related({ articleId: source.id, sectionId: source.sectionId, ancestorIds, limit });
  }
}
