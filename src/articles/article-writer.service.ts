import { Injectable } from '@nestjs/common';
import slugify from 'slugify';
import type { EntityManager } from 'typeorm';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { PG_UNIQUE_VIOLATION, pgCode, pgConstraint } from '../common/errors/pg-errors';
import { SLUG_MAX } from '../common/http/id-or-slug.pipe';
import { SectionsService } from '../sections/sections.service';
import type { SectionTree } from '../sections/section-tree';
import {
  contentHash,
  normalizeHeroImage,
  writeRowOf,
  type ArticleSnapshot,
  type WriterInput,
} from './article-input';
import { ArticleEvents } from './article-events';
import { ArticleWriteRepository } from './article-write.repository';
import { ArticleRepository, type ArticleKey, type ArticleRow } from './article.repository';
import type { ArticleStatus } from './article-status';
import type { Block } from './body/blocks';
import { bodyFromInput, makeExcerpt, renderBody } from './body/normalize';

const CONTENT_FIELDS = [
  'slug',
  'externalId',
  'title',
  'subtitle',
  'dateline',
  'byline',
  'source',
  'excerpt',
  'body',
  'section',
  'sections',
  'tags',
  'heroImage',
  'relatedArticles',
] as const;

/** Fields that null cannot clear: null means "leave as it is" (GraphQL sends null for omitted). */
const NOT_CLEARABLE = new Set([
  'title',
  'slug',
  'status',
  'body',
  'bodyHtml',
  'bodyText',
  'tags',
  'sections',
  'relatedArticles',
]);

/** Status and date from what was asked: a future date schedules, a past one publishes. */
function schedule(
  status: ArticleStatus,
  publishedAt: Date | null,
  errors: FieldError[],
): { status: ArticleStatus; publishedAt: Date | null } {
  if (status === 'published' || status === 'scheduled') {
    if (!publishedAt && status === 'scheduled') {
      errors.push({ path: 'publishedAt', message: 'is required to schedule an article' });
      return { status, publishedAt };
    }
    const at = publishedAt ?? new Date();
    return { status: at.getTime() > Date.now() ? 'scheduled' : 'published', publishedAt: at };
  }
  return { status, publishedAt };
}

/** The writes of articles: every one atomic, every content change keeping the previous version. */
@Injectable()
export class ArticleWriter {
  constructor(
    private readonly articles: ArticleRepository,
    private readonly store: ArticleWriteRepository,
    private readonly sections: SectionsService,
    private readonly events: ArticleEvents,
    private readonly invalidation: CacheInvalidation,
  ) {}

  /**
   * Runs fn in one transaction and turns unique violations into 409s. After the commit, and
   * before the caller can answer, the read caches drop the article whose id fn returned.
   */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.store.transaction(fn);
    } catch (err) {
      throw this.translateWriteError(err);
    }
    if (typeof result === 'string') this.invalidation.articlesChanged([result]);
    return result;
  }

  /** Creates one article and records its webhook event (imports enqueue their own). */
  create(input: WriterInput, author: string | null): Promise<string> {
    return this.run(async (m) => {
      const id = await this.createInTransaction(m, input, author);
      await this.events.record(m, 'create', null, id);
      return id;
    });
  }

  update(key: ArticleKey, input: WriterInput, author: string | null): Promise<string> {
    return this.run((m) => this.updateWithEvents(m, key, input, author));
  }

  /** An update (PATCH, revision restore) and, when something changed, its webhook event. */
  private async updateWithEvents(
    manager: EntityManager,
    key: ArticleKey,
    input: WriterInput,
    author: string | null,
  ): Promise<string> {
    const { id, changed, before } = await this.applyUpdate(manager, key, input, author);
    if (changed) await this.events.record(manager, 'update', before, id);
    return id;
  }

  /** Creates one article inside the caller's transaction (imports write many per transaction). */
  async createInTransaction(
    manager: EntityManager,
    input: WriterInput,
    author: string | null,
  ): Promise<string> {
    void author;
    const errors: FieldError[] = [];
    if (input.title == null) errors.push({ path: 'title', message: 'is required' });
    const prepared = await this.prepare(manager, input, errors, null);
    const id = await this.store.insert(manager, prepared.row);
    await this.writeLinks(manager, id, prepared);
    if (input.reactions?.length) await this.store.raiseReactions(manager, id, input.reactions);
    return id;
  }

  /** Applies a partial input; the previous version becomes a revision. Unchanged input writes nothing. */
  async updateInTransaction(
    manager: EntityManager,
    key: ArticleKey,
    input: WriterInput,
    author: string | null,
  ): Promise<string> {
    return (await this.applyUpdate(manager, key, input, author)).id;
  }

  /**
   * An import line: created when no article has its externalId, otherwise updated, or left
   * alone when nothing changed. Runs in the caller's transaction (use a savepoint per line).
   */
  async upsertInTransaction(
    manager: EntityManager,
    input: WriterInput & { externalId: string },
    author: string | null,
  ): Promise<{ id: string; outcome: 'created' | 'updated' | 'unchanged' }> {
    const existing = await this.store.findIdByExternalId(manager, input.externalId);
    if (!existing) return { id: await this.createInTransaction(manager, input, author), outcome: 'created' };
    const { reactions: _ignored, ...update } = input;
    const { id, changed } = await this.applyUpdate(manager, { id: existing }, update, author);
    return { id, outcome: changed ? 'updated' : 'unchanged' };
  }

  private async applyUpdate(
    manager: EntityManager,
    key: ArticleKey,
    input: WriterInput,
    author: string | null,
  ): Promise<{ id: string; changed: boolean; before: ArticleRow }> {
    const row = await this.requireRow(manager, key);
    const tree = await this.sections.treeIn(manager);
    const current = await this.snapshot(manager, row, tree);
    const merged: WriterInput = { ...current, body: undefined };
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined || (v === null && NOT_CLEARABLE.has(k))) continue;
      (merged as Record<string, unknown>)[k] = v;
    }
    const bodyGiven = input.body != null || input.bodyHtml != null || input.bodyText != null;
    if (!bodyGiven) merged.body = current.body;
    if (input.excerpt === undefined && bodyGiven && current.excerpt === makeExcerpt(current.body))
      merged.excerpt = null;
    if (input.status === undefined && input.publishedAt === undefined) merged.status = row.storedStatus;
    const prepared = await this.prepare(manager, merged, [], row);
    if (prepared.row.contentHash === row.contentHash) return { id: row.id, changed: false, before: row };
    await this.store.insertRevision(manager, row.id, author, current);
    await this.store.update(manager, row.id, prepared.row);
    await this.writeLinks(manager, row.id, prepared);
    return { id: row.id, changed: true, before: row };
  }

  async restoreRevision(key: ArticleKey, revisionId: string, author: string | null): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key);
      const snapshot = await this.store.findRevision(manager, row.id, revisionId);
      if (!snapshot)
        throw new DomainError('REVISION_NOT_FOUND', `No revision ${revisionId} of this article.`);
      // Restoring brings back the content; publication state stays as it is now.
      const input: WriterInput = {};
      for (const field of CONTENT_FIELDS) (input as Record<string, unknown>)[field] = snapshot[field];
      return this.updateWithEvents(manager, { id: row.id }, input, author);
    });
  }

  async publish(key: ArticleKey, publishedAt: string | undefined): Promise<string> {
    return this.setStatus(key, 'published', publishedAt ? new Date(publishedAt) : new Date());
  }

  async unpublish(key: ArticleKey): Promise<string> {
    return this.setStatus(key, 'draft', undefined);
  }

  async trash(key: ArticleKey): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key);
      await this.store.setDeleted(manager, row.id, true);
      await this.events.record(manager, 'trash', row, row.id);
      return row.id;
    });
  }

  async untrash(key: ArticleKey): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.articles.findOne(
        key,
        { publicOnly: false, includeDeleted: true, forUpdate: true },
        manager,
      );
      if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
      if (row.deletedAt) {
        await this.store.setDeleted(manager, row.id, false);
        await this.events.record(manager, 'untrash', row, row.id);
      }
      return row.id;
    });
  }

  /** The article as an input document, as revisions and exports keep it. */
  async snapshot(manager: EntityManager, row: ArticleRow, tree: SectionTree): Promise<ArticleSnapshot> {
    // One connection: the queries of a transaction run one after another.
    const tags = await this.store.tagSlugsFor(manager, row.id);
    const sections = await this.articles.sectionsFor([row.id], manager);
    const related = await this.articles.relatedFor([row.id], manager);
    return {
      slug: row.slug,
      externalId: row.externalId,
      title: row.title,
      subtitle: row.subtitle,
      dateline: row.dateline,
      byline: row.byline,
      source: row.source,
      excerpt: row.excerpt,
      body: row.body ?? [],
      section: row.sectionId ? (tree.ref(row.sectionId)?.slug ?? null) : null,
      sections: sections.map((s) => tree.ref(s.sectionId)?.slug).filter((s): s is string => !!s),
      tags,
      heroImage: normalizeHeroImage(row.heroImage as never),
      status: row.status,
      publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
      relatedArticles: related.map((r) => r.relatedId),
    };
  }

  private async setStatus(key: ArticleKey, wanted: ArticleStatus, at: Date | undefined): Promise<string> {
    return this.run(async (manager) => {
      const row = await this.requireRow(manager, key);
      const errors: FieldError[] = [];
      const next = schedule(wanted, at ?? row.publishedAt, errors);
      const snap = await this.snapshot(manager, row, await this.sections.treeIn(manager));
      const hash = contentHash({
        ...snap,
        status: next.status,
        publishedAt: next.publishedAt?.toISOString() ?? null,
      });
      await this.store.setStatus(manager, row.id, next.status, next.publishedAt, hash);
      await this.events.record(manager, wanted === 'published' ? 'publish' : 'unpublish', row, row.id);
      return row.id;
    });
  }

  private async requireRow(manager: EntityManager, key: ArticleKey): Promise<ArticleRow> {
    const row = await this.articles.findOne(key, { publicOnly: false, forUpdate: true }, manager);
    if (!row) throw new DomainError('ARTICLE_NOT_FOUND', 'No such article.');
    return row;
  }

  private async writeLinks(
    manager: EntityManager,
    id: string,
    p: { tags: { slug: string; name: string }[]; sectionIds: string[]; relatedIds: string[] },
  ): Promise<void> {
    await this.store.setLinks(manager, 'article_tags', id, await this.store.ensureTags(manager, p.tags));
    await this.store.setLinks(manager, 'article_sections', id, p.sectionIds);
    await this.store.setLinks(
      manager,
      'article_related',
      id,
      p.relatedIds.filter((r) => r !== id),
    );
  }

  /** Validates and resolves a whole input into the row and links to write. */
  private async prepare(
    manager: EntityManager,
    input: WriterInput,
    errors: FieldError[],
    existing: ArticleRow | null,
  ) {
    const sectionErrors: FieldError[] = [];
    const title = (input.title ?? '').trim();
    if (input.title != null && !title) errors.push({ path: 'title', message: 'must not be empty' });

    let blocks: Block[] = [];
    const body = bodyFromInput(input);
    if (body) {
      blocks = body.blocks;
      errors.push(...body.errors);
    }

    const tree = await this.sections.treeIn(manager);
    let sectionId: string | null = null;
    if (input.section) {
      sectionId = tree.find({ slug: input.section })?.id ?? null;
      if (!sectionId) sectionErrors.push({ path: 'section', message: `no section ${input.section}` });
    }
    const sectionIds: string[] = [];
    (input.sections ?? []).forEach((slug, i) => {
      const found = tree.find({ slug });
      if (!found) sectionErrors.push({ path: `sections[${i}]`, message: `no section ${slug}` });
      else if (!sectionIds.includes(found.id)) sectionIds.push(found.id);
    });

    const tags = new Map<string, string>();
    for (const t of input.tags ?? []) {
      const slug = typeof t === 'string' ? t : t.slug;
      const name = typeof t === 'string' ? t : (t.name ?? t.slug);
      if (!tags.has(slug)) tags.set(slug, name);
    }

    const relatedKeys = [...new Set(input.relatedArticles ?? [])];
    const found = await this.store.resolveKeys(manager, relatedKeys);
    const relatedIds: string[] = [];
    relatedKeys.forEach((k, i) => {
      const hit = found.find((f) => f.id === k.toLowerCase() || f.slug === k);
      if (!hit) errors.push({ path: `relatedArticles[${i}]`, message: `no article ${k}` });
      else if (!relatedIds.includes(hit.id)) relatedIds.push(hit.id);
    });

    const when = schedule(
      input.status ?? 'draft',
      input.publishedAt ? new Date(input.publishedAt) : null,
      errors,
    );

    if (errors.length || sectionErrors.length) {
      if (!errors.length)
        throw new DomainError(
          'UNKNOWN_SECTION',
          sectionErrors.map((e) => e.message).join('; '),
          sectionErrors,
        );
      throw DomainError.validation([...errors, ...sectionErrors]);
    }

    const slug = input.slug ?? existing?.slug ?? (await this.freeSlug(manager, title));
    const excerpt = input.excerpt ?? makeExcerpt(blocks);
    const heroImage = normalizeHeroImage(input.heroImage);
    const snapshot: ArticleSnapshot = {
      slug,
      externalId: input.externalId ?? null,
      title,
      subtitle: input.subtitle ?? null,
      dateline: input.dateline ?? null,
      byline: input.byline ?? null,
      source: input.source ?? null,
      excerpt,
      body: blocks,
      section: input.section ?? null,
      sections: sectionIds.map((id) => tree.ref(id)?.slug as string),
      tags: [...tags.keys()],
      heroImage,
      status: when.status,
      publishedAt: when.publishedAt?.toISOString() ?? null,
      relatedArticles: relatedIds,
    };
    const row = writeRowOf(snapshot, renderBody(blocks), sectionId, when.publishedAt);
    return { row, snapshot, sectionIds, relatedIds, tags: [...tags].map(([slug, name]) => ({ slug, name })) };
  }

  /** A slug made from the title: `-2`, `-3`… on a clash. */
  private async freeSlug(manager: EntityManager, title: string): Promise<string> {
    const base =
      slugify(title, { lower: true, strict: true, trim: true })
        .slice(0, SLUG_MAX - 8)
        .replace(/-+$/, '') || 'article';
    const taken = new Set(await this.store.slugsLike(manager, base));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }

  /** Unique violations as 409s (for callers running their own transaction, such as imports). */
  translateWriteError(err: unknown): unknown {
    if (pgCode(err) !== PG_UNIQUE_VIOLATION) return err;
    if (pgConstraint(err) === 'articles_external_id_key')
      return new DomainError('EXTERNAL_ID_TAKEN', 'An article with this externalId exists.', [
        { path: 'externalId', message: 'is already in use' },
      ]);
    return new DomainError('SLUG_TAKEN', 'An article with this slug exists.', [
      { path: 'slug', message: 'is already in use' },
    ]);
  }
}
