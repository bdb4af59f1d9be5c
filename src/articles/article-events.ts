import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { SectionsService } from '../sections/sections.service';
import { OutboxService, type OutboxPayload, type OutboxPlan } from '../webhooks/outbox.service';
import { ArticleRepository, type ArticleRow } from './article.repository';
import type { ArticleStatus } from './article-status';

/** Which write happened: the events follow from it and the article before and after. */
export type ArticleWriteKind = 'create' | 'update' | 'publish' | 'unpublish' | 'trash' | 'untrash';

/** What the events of a write depend on: an article as it was before, or is after, the write. */
export interface ArticleEventState {
  /** As stored: a scheduled article stays `scheduled` after its time (reads show it published). */
  storedStatus: ArticleStatus;
  publishedAt: Date | null;
  deleted: boolean;
}

/** The article after the write, with what its events tell receivers. */
export interface ArticleEventAfter extends ArticleEventState {
  id: string;
  slug: string;
  title: string;
  updatedAt: Date;
  /** The primary section's slug. */
  section: string | null;
}

export interface ArticleChange {
  kind: ArticleWriteKind;
  /** Null when the write created the article. */
  before: ArticleEventState | null;
  after: ArticleEventAfter;
}

const publicAt = (s: ArticleEventState, now: Date) =>
  !s.deleted &&
  (s.storedStatus === 'published' || s.storedStatus === 'scheduled') &&
  !!s.publishedAt &&
  s.publishedAt.getTime() <= now.getTime();
const scheduledAt = (s: ArticleEventState, now: Date) =>
  !s.deleted && s.storedStatus === 'scheduled' && !!s.publishedAt && s.publishedAt.getTime() > now.getTime();

/** What a receiver gets in `data`: the same fields whichever write path stored the change. */
export function articleEventPayload(a: ArticleEventAfter, now: Date): OutboxPayload {
  return {
    articleId: a.id,
    slug: a.slug,
    title: a.title,
    status: a.storedStatus === 'scheduled' && publicAt(a, now) ? 'published' : a.storedStatus,
    publishedAt: a.publishedAt ? a.publishedAt.toISOString() : null,
    updatedAt: a.updatedAt.toISOString(),
    section: a.section,
  };
}

/**
 * The one place that turns stored article changes into webhook events, for every write path (the
 * article writer, one article at a time, and the import batch, a set at a time):
 * - becoming public: `article.published` (also a re-publish); staying public: `article.updated`;
 * - leaving public (draft, archived, a future date): `article.unpublished`;
 * - to the trash: `article.deleted`, when the article was public or promised (scheduled);
 * - scheduled: an `article.published` held back until publishedAt (availableAt). Any write to an
 *   article that was scheduled first cancels the waiting one, so a receiver never gets a stale
 *   payload or an event for an article that is no longer coming; a still-scheduled article gets
 *   a fresh one with the new time and payload.
 * A write that changed nothing stored must not be passed here (it has no events).
 */
export function planArticleEvents(changes: ArticleChange[], now: Date): OutboxPlan {
  const plan: OutboxPlan = { cancelScheduled: [], events: [] };
  for (const { kind, before, after } of changes) {
    if (before?.storedStatus === 'scheduled') plan.cancelScheduled.push(after.id);
    const wasPublic = !!before && publicAt(before, now);
    const payload = articleEventPayload(after, now);
    if (kind === 'trash') {
      if (before && (wasPublic || scheduledAt(before, now)))
        plan.events.push({ event: 'article.deleted', payload });
    } else if (publicAt(after, now)) {
      const event = wasPublic && kind !== 'publish' ? 'article.updated' : 'article.published';
      plan.events.push({ event, payload });
    } else {
      if (wasPublic) plan.events.push({ event: 'article.unpublished', payload });
      if (scheduledAt(after, now))
        plan.events.push({
          event: 'article.published',
          payload: { ...payload, status: 'published' },
          availableAt: after.publishedAt as Date,
        });
    }
  }
  return plan;
}

const stateOf = (r: ArticleRow): ArticleEventState => ({
  storedStatus: r.storedStatus,
  publishedAt: r.publishedAt,
  deleted: !!r.deletedAt,
});

/**
 * The article writer's side: its events are recorded in the write's own transaction (the
 * outbox), so an event exists exactly when the change committed.
 */
@Injectable()
export class ArticleEvents {
  constructor(
    private readonly outbox: OutboxService,
    private readonly articles: ArticleRepository,
    private readonly sections: SectionsService,
    private readonly clock: Clock,
  ) {}

  /** Call after the write, with its manager; `before` is the row as it was (null on create). */
  async record(
    manager: EntityManager,
    kind: ArticleWriteKind,
    before: ArticleRow | null,
    id: string,
  ): Promise<void> {
    const after = await this.articles.findOne({ id }, { publicOnly: false, includeDeleted: true }, manager);
    if (!after) return;
    const tree = after.sectionId ? await this.sections.treeIn(manager) : null;
    const section = after.sectionId ? (tree?.ref(after.sectionId)?.slug ?? null) : null;
    const plan = planArticleEvents(
      [
        {
          kind,
          before: before && stateOf(before),
          after: {
            ...stateOf(after),
            id,
            slug: after.slug,
            title: after.title,
            updatedAt: after.updatedAt,
            section,
          },
        },
      ],
      this.clock.date(),
    );
    await this.outbox.record(manager, plan);
  }
}
