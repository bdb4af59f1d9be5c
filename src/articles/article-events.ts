import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SectionsService } from '../sections/sections.service';
import { OutboxService, type OutboxEventName, type OutboxPayload } from '../webhooks/outbox.service';
import { ArticleRepository, type ArticleRow } from './article.repository';

/** Which write happened: the events follow from it and the article before and after. */
export type ArticleWriteKind = 'create' | 'update' | 'publish' | 'unpublish' | 'trash' | 'untrash';

const isPublic = (r: ArticleRow) => !r.deletedAt && r.status === 'published';
const isScheduled = (r: ArticleRow) =>
  !r.deletedAt && r.storedStatus === 'scheduled' && !!r.publishedAt && r.publishedAt.getTime() > Date.now();

/**
 * The webhook events of article writes, recorded in the write's own transaction (the outbox):
 * an event exists exactly when the change committed. A scheduled article's `article.published`
 * waits in the outbox until its publishedAt; rescheduling, unpublishing or deleting cancels it.
 */
@Injectable()
export class ArticleEvents {
  constructor(
    private readonly outbox: OutboxService,
    private readonly articles: ArticleRepository,
    private readonly sections: SectionsService,
  ) {}

  /** Call after the write, with its manager; `before` is the row as it was (null on create). */
  async record(
    manager: EntityManager,
    kind: ArticleWriteKind,
    before: ArticleRow | null,
    id: string,
  ): Promise<void> {
    if (before && before.storedStatus === 'scheduled') await this.outbox.cancelScheduled(manager, id);
    const after = await this.articles.findOne({ id }, { publicOnly: false, includeDeleted: true }, manager);
    if (!after) return;
    const wasPublic = !!before && isPublic(before);
    const events: { event: OutboxEventName; payload: OutboxPayload; availableAt?: Date }[] = [];
    const payload = await this.payload(manager, after);

    if (kind === 'trash') {
      if (before && (wasPublic || isScheduled(before))) events.push({ event: 'article.deleted', payload });
    } else if (isPublic(after)) {
      const event = wasPublic && kind !== 'publish' ? 'article.updated' : 'article.published';
      events.push({ event, payload });
    } else {
      if (wasPublic) events.push({ event: 'article.unpublished', payload });
      if (isScheduled(after))
        events.push({
          event: 'article.published',
          payload: { ...payload, status: 'published' },
          availableAt: after.publishedAt as Date,
        });
    }
    await this.outbox.enqueueMany(manager, events);
  }

  private async payload(manager: EntityManager, row: ArticleRow): Promise<OutboxPayload> {
    const tree = row.sectionId ? await this.sections.treeIn(manager) : null;
    return {
      articleId: row.id,
      slug: row.slug,
      title: row.title,
      status: row.status,
      publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
      updatedAt: row.updatedAt.toISOString(),
      section: row.sectionId ? (tree?.ref(row.sectionId)?.slug ?? null) : null,
    };
  }
}
