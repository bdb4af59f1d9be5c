import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { Principal } from '../common/auth/role';
import { isStaff } from '../common/auth/role';
import { DomainError } from '../common/errors/domain-error';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import { pageWindow, type ConnectionArgs } from '../common/pagination/connection';
import { ArticleReader, type ArticleRecord, type Viewer } from './article-reader.service';
import type { WriterInput } from './article-input';
import { ArticleWriter, type ArticleWrite } from './article-writer.service';
import { EditLeases } from './editing/edit-leases.service';
import type { Article, ArticleList, Revision } from './article.model';
import type { ArticleFilter } from './dto/list-articles.args';

export const viewerOf = (principal: Principal | null): Viewer => ({ editor: isStaff(principal) });
/** Contributors write drafts: whatever would publish, schedule or archive needs an editor. */
function refuseContributorStatus(actor: Actor, input: WriterInput): void {
  if (actor.role === 'contributor' && input.status != null && input.status !== 'draft')
    throw new DomainError(
      'FORBIDDEN',
      `A contributor writes drafts only: status ${input.status} needs an editor.`,
    );
}

/**
 * The articles use cases, the only thing either transport calls. Reads and writes live in
 * ArticleReader and ArticleWriter; other features use those two directly.
 */
@Injectable()
export class ArticlesService {
  constructor(
    readonly reader: ArticleReader,
    readonly writer: ArticleWriter,
    private readonly leases: EditLeases,
  ) {}

  async get(key: IdOrSlug, principal: Principal | null): Promise<Article> {
    const viewer = viewerOf(principal);
    const article = await this.reader.get(key, viewer);
    return viewer.editor ? this.withLock(article) : article;
  }

  /** A write's answer: the article as an editor sees it now. */
  private async forEditor(id: string): Promise<Article> {
    return this.withLock(await this.reader.get({ id }, { editor: true }));
  }

  /** Editors see who holds the edit lease (null when nobody does). */
  private async withLock(article: Article): Promise<Article> {
    const lock = (await this.leases.locks([article.id])).get(article.id) ?? null;
    return { ...article, lock };
  }

  /**
   * Editors get a record (fields through loaders); the public a whole article from the cache,
   * with what an answer showing it depends on.
   */
  find(key: IdOrSlug, principal: Principal | null): Promise<ArticleRecord | Article | null> {
    const viewer = viewerOf(principal);
    return viewer.editor ? this.reader.findRecord(key, viewer) : this.reader.publicArticle(key);
  }

  list(
    query: ArticleFilter & { limit?: number; cursor?: string },
    principal: Principal | null,
  ): Promise<ArticleList> {
    return this.reader.list(query, viewerOf(principal));
  }

  /**
   * A Relay connection over the articles list: `first`/`after` forward, `last`/`before` backward,
   * one keyset query either way.
   */
  async connection(filter: ArticleFilter, args: ConnectionArgs, principal: Principal | null) {
    const viewer = viewerOf(principal);
    // Bodies come through a loader when a query asks for them (lists rarely do).
    const page = await this.reader.page(filter, pageWindow(args), viewer, false);
    const reader = this.reader;
    return {
      edges: page.items,
      // The far side of a cursor costs a query: only when the query asks for it (GraphQL reads
      // the property then), like the count.
      pageInfo: {
        get hasNextPage(): Promise<boolean> {
          return page.hasNextPage();
        },
        get hasPreviousPage(): Promise<boolean> {
          return page.hasPreviousPage();
        },
        startCursor: page.startCursor,
        endCursor: page.endCursor,
      },
      /** Counted only when the query asks for it (GraphQL reads the property then). */
      get totalCount(): Promise<number> {
        return reader.count(filter, viewer);
      },
    };
  }

  async create(input: WriterInput, actor: Actor): Promise<Article> {
    refuseContributorStatus(actor, input);
    const id = await this.writer.create(input, actor);
    return this.forEditor(id);
  }

  /**
   * Every write names its actor (leases, the audit log) and may be conditional: `expectedVersion`
   * (If-Match) that is no longer the stored one is VERSION_MISMATCH.
   */
  async update(key: IdOrSlug, input: WriterInput, write: ArticleWrite): Promise<Article> {
    refuseContributorStatus(write.actor, input);
    const id = await this.writer.update(key, input, write);
    return this.forEditor(id);
  }

  async remove(key: IdOrSlug, write: ArticleWrite): Promise<void> {
    await this.writer.trash(key, write);
  }

  async restore(key: IdOrSlug, write: ArticleWrite): Promise<Article> {
    const id = await this.writer.untrash(key, write);
    return this.forEditor(id);
  }

  async publish(key: IdOrSlug, publishedAt: string | undefined, write: ArticleWrite): Promise<Article> {
    const id = await this.writer.publish(key, publishedAt, write);
    return this.forEditor(id);
  }

  async unpublish(key: IdOrSlug, write: ArticleWrite): Promise<Article> {
    const id = await this.writer.unpublish(key, write);
    return this.forEditor(id);
  }

  revisions(key: IdOrSlug): Promise<Revision[]> {
    return this.reader.revisions(key);
  }

  async restoreRevision(key: IdOrSlug, revisionId: string, write: ArticleWrite): Promise<Article> {
    const id = await this.writer.restoreRevision(key, revisionId, write);
    return this.forEditor(id);
  }
}
