import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { DomainError } from '../../common/errors/domain-error';
import type { IdOrSlug } from '../../common/http/id-or-slug.pipe';
import type { WriteIntent } from '../../common/http/if-match';
import { ARTICLE_TEXT_FIELDS, normalizeHeroImage, type WriterInput } from '../article-input';
import { prepareBody } from '../article-prepare';
import { ArticleReader } from '../article-reader.service';
import { ArticleStore } from '../article-store';
import { assertVersion, NOT_CLEARABLE } from '../article-writer.service';
import type { Article } from '../article.model';
import { ArticleRepository } from '../article.repository';
import { EditLeases } from './edit-leases.service';
import { EditingRepository, type WorkingCopyRow } from './editing.repository';

/** PATCH fields over the working copy's: what they leave out stays; null clears where PATCH's does. */
function merge(fields: Record<string, unknown>, input: WriterInput): Record<string, unknown> {
  const out = { ...fields };
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined || (v === null && NOT_CLEARABLE.has(k))) continue;
    out[k] = v;
  }
  return out;
}

const bodyOf = (f: WriterInput) =>
  prepareBody({
    body: f.body ?? undefined,
    bodyHtml: f.bodyHtml ?? undefined,
    bodyText: f.bodyText ?? undefined,
    excerpt: f.excerpt ?? undefined,
  });

/**
 * Working copies: pending changes to a story (most often a published one) kept apart from it, so
 * readers, lists, search, related stories and webhooks see nothing of them until `publish` makes
 * them live (ArticleWriter.publish). Editors and contributors save (PUT, merged like PATCH), read
 * and discard them; the copy has its own version and honours If-Match; a preview link shows it.
 */
@Injectable()
export class WorkingCopies {
  constructor(
    private readonly repo: EditingRepository,
    private readonly articles: ArticleRepository,
    private readonly reader: ArticleReader,
    private readonly store: ArticleStore,
    private readonly leases: EditLeases,
    private readonly audit: AuditService,
  ) {}

  async save(key: IdOrSlug, input: WriterInput, write: WriteIntent): Promise<Article> {
    if (input.status != null || input.publishedAt != null)
      throw DomainError.validation([
        {
          path: input.status != null ? 'status' : 'publishedAt',
          message: 'is set by publish, not in a working copy',
        },
      ]);
    const copy = await this.repo.transaction(async (m) => {
      const row = await this.articles.findOne(key, { publicOnly: false, forUpdate: true }, m);
      if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
      await this.leases.assertWritable(m, row.id, write.actor);
      const current = await this.repo.workingCopy(row.id, m);
      assertVersion(current?.version ?? 0, write.expectedVersion, 'working copy');
      const fields = merge(current?.fields ?? {}, input);
      const body = bodyOf(fields);
      if (body.errors.length) throw DomainError.validation(body.errors);
      if (current && JSON.stringify(fields) === JSON.stringify(current.fields)) return current;
      const saved = await this.repo.putWorkingCopy(m, row.id, fields, write.actor.name);
      const given = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
      await this.audit.record(m, write.actor, {
        action: 'article.draft.save',
        entityType: 'article',
        entityId: row.id,
        summary: `${JSON.stringify(row.title)}: working copy version ${saved.version} (${given.join(', ')})`,
      });
      return saved;
    });
    return this.render(copy);
  }

  async discard(key: IdOrSlug, write: WriteIntent): Promise<void> {
    await this.repo.transaction(async (m) => {
      const row = await this.articles.findOne(key, { publicOnly: false, forUpdate: true }, m);
      if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
      await this.leases.assertWritable(m, row.id, write.actor);
      const current = await this.repo.workingCopy(row.id, m);
      if (!current) throw new DomainError('WORKING_COPY_NOT_FOUND', 'This article has no working copy.');
      assertVersion(current.version, write.expectedVersion, 'working copy');
      await this.repo.deleteWorkingCopy(m, row.id);
      await this.audit.record(m, write.actor, {
        action: 'article.draft.discard',
        entityType: 'article',
        entityId: row.id,
        summary: `${JSON.stringify(row.title)}: working copy version ${current.version} discarded`,
      });
    });
  }

  async get(key: IdOrSlug): Promise<Article> {
    const row = await this.articles.findOne(key, { publicOnly: false });
    if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    const copy = await this.view(row.id);
    if (!copy) throw new DomainError('WORKING_COPY_NOT_FOUND', 'This article has no working copy.');
    return copy;
  }

  /** The article as its working copy would make it, or null when it has none. */
  async view(articleId: string): Promise<Article | null> {
    const copy = await this.repo.workingCopy(articleId);
    return copy ? this.render(copy) : null;
  }

  /**
   * The working copy as a whole article: the stored one with the pending fields over it, its body
   * rendered as a write would render it. `version` and `updatedAt` are the working copy's.
   */
  private async render(copy: WorkingCopyRow): Promise<Article> {
    const current = await this.reader.get({ id: copy.articleId }, { editor: true });
    const f = copy.fields as WriterInput;
    const out: Article = { ...current, version: copy.version, updatedAt: copy.updatedAt.toISOString() };
    for (const k of ARTICLE_TEXT_FIELDS)
      if (f[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = f[k];
    if (f.body != null || f.bodyHtml != null || f.bodyText != null) {
      const body = bodyOf(f);
      Object.assign(out, body.rendered);
      if (f.excerpt === undefined) out.excerpt = body.excerpt;
    }
    if (f.section !== undefined || f.sections != null) {
      const tree = await this.reader.tree();
      const idOf = (slug: string) => tree.find({ slug })?.id;
      if (f.section !== undefined) {
        const id = f.section ? idOf(f.section) : undefined;
        out.section = id ? tree.ref(id) : null;
        out.breadcrumb = id ? tree.breadcrumb(id) : [];
      }
      if (f.sections != null)
        out.sections = f.sections.flatMap((s) => {
          const ref = tree.ref(idOf(s) ?? '');
          return ref ? [ref] : [];
        });
    }
    if (f.tags != null) {
      const names = new Map(current.tags.map((t) => [t.slug, t.name]));
      out.tags = f.tags.map((t) =>
        typeof t === 'string'
          ? { slug: t, name: names.get(t) ?? t }
          : { slug: t.slug, name: t.name ?? names.get(t.slug) ?? t.slug },
      );
    }
    if (f.heroImage !== undefined) out.heroImage = normalizeHeroImage(f.heroImage) as Article['heroImage'];
    if (f.relatedArticles != null) {
      const found = await this.store.resolveArticles(this.store.dataSource.manager, f.relatedArticles);
      out.relatedArticles = await this.reader.summariesByIds(
        found.map((a) => a.id),
        { editor: true },
      );
    }
    return out;
  }
}
