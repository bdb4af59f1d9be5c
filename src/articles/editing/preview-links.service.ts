import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import type { IdOrSlug } from '../../common/http/id-or-slug.pipe';
import { ArticleReader, type ArticleRecord } from '../article-reader.service';
import type { Article } from '../article.model';
import { WorkingCopies } from './working-copies.service';
import { EditingRepository } from './editing.repository';
import type { PreviewLink } from './editing.model';

export const PREVIEW_DEFAULT_SECONDS = 86_400;
export const PREVIEW_MAX_SECONDS = 7 * 86_400;
/** 32 random bytes, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * Preview links: an unguessable token (256 random bits) that shows one article, draft or not, to
 * anyone holding it until it expires or is revoked. Only the token's SHA-256 is stored.
 */
@Injectable()
export class PreviewLinks {
  constructor(
    private readonly repo: EditingRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly reader: ArticleReader,
    private readonly copies: WorkingCopies,
  ) {}

  async create(key: IdOrSlug, expiresIn: number | undefined, actor: Actor): Promise<PreviewLink> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now() + (expiresIn ?? PREVIEW_DEFAULT_SECONDS) * 1000);
    await this.repo.transaction(async (m) => {
      const articleId = await this.requireArticle(m, key);
      await this.repo.insertPreviewLink(m, {
        articleId,
        tokenHash: hashOf(token),
        expiresAt,
        createdBy: actor.name,
      });
      await this.audit.record(m, actor, {
        action: 'article.preview-link.create',
        entityType: 'article',
        entityId: articleId,
        summary: `made a preview link until ${expiresAt.toISOString()}`,
      });
    });
    return { token, url: `/api/v1/preview/${token}`, expiresAt: expiresAt.toISOString() };
  }

  async revokeAll(key: IdOrSlug, actor: Actor): Promise<void> {
    await this.repo.transaction(async (m) => {
      const articleId = await this.requireArticle(m, key);
      const revoked = await this.repo.revokePreviewLinks(m, articleId, this.clock.date());
      if (revoked)
        await this.audit.record(m, actor, {
          action: 'article.preview-link.revoke',
          entityType: 'article',
          entityId: articleId,
          summary: `revoked ${revoked} preview link${revoked === 1 ? '' : 's'}`,
        });
    });
  }

  /** The id of the article a live token shows; PREVIEW_NOT_FOUND for anything else. */
  async articleOf(token: string): Promise<string> {
    const id = TOKEN.test(token) ? await this.repo.previewedArticle(hashOf(token), this.clock.date()) : null;
    if (!id)
      throw new DomainError('PREVIEW_NOT_FOUND', 'No such preview: the link is wrong, expired or revoked.');
    return id;
  }

  /**
   * What a live token shows: the article as it stands, whatever its status. Its pins are shown as
   * the public sees them: a preview shows one unpublished story, never others.
   */
  async show(token: string): Promise<Article> {
    const shown = await this.record(token);
    if (!('sectionId' in shown)) return shown;
    const [article] = await this.reader.hydrate([shown], { editor: false });
    return article as Article;
  }

  /** The same, as a record for GraphQL's field resolvers. */
  /** The working copy when the article has one (as a whole article), else the article itself. */
  async record(token: string): Promise<ArticleRecord | Article> {
    const id = await this.articleOf(token);
    const copy = await this.copies.view(id);
    if (copy) return copy;
    const record = await this.reader.findRecord({ id }, { editor: true });
    if (!record)
      throw new DomainError('PREVIEW_NOT_FOUND', 'No such preview: the link is wrong, expired or revoked.');
    return record;
  }

  private async requireArticle(
    m: Parameters<Parameters<EditingRepository['transaction']>[0]>[0],
    key: IdOrSlug,
  ) {
    const id = await this.repo.lockArticle(m, key);
    if (!id) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return id;
  }
}
