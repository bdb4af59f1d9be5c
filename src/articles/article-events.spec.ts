import { planArticleEvents, type ArticleChange, type ArticleEventState } from './article-events';

const now = new Date('2030-01-01T12:00:00.000Z');
const past = new Date('2030-01-01T11:00:00.000Z');
const future = new Date('2030-01-01T13:00:00.000Z');
const state = (
  storedStatus: ArticleEventState['storedStatus'],
  publishedAt: Date | null,
  deleted = false,
) => ({
  storedStatus,
  publishedAt,
  deleted,
});
const change = (
  kind: ArticleChange['kind'],
  before: ArticleEventState | null,
  after: ArticleEventState,
): ArticleChange => ({
  kind,
  before,
  after: { ...after, id: 'a1', slug: 's', title: 'T', updatedAt: now, section: null },
});
const plan = (c: ArticleChange) => {
  const p = planArticleEvents([c], now);
  return {
    cancel: p.cancelScheduled,
    events: p.events.map((e) => [e.event, e.payload.status, e.availableAt?.toISOString() ?? null]),
  };
};

describe('planArticleEvents: the events of a stored change', () => {
  it('announces an article when it becomes public, and its edits while it stays public', () => {
    expect(plan(change('create', null, state('published', past)))).toEqual({
      cancel: [],
      events: [['article.published', 'published', null]],
    });
    expect(plan(change('update', state('published', past), state('published', past))).events).toEqual([
      ['article.updated', 'published', null],
    ]);
    // Publishing again announces it again; a scheduled article whose time passed is public.
    expect(plan(change('publish', state('published', past), state('published', past))).events).toEqual([
      ['article.published', 'published', null],
    ]);
    expect(plan(change('update', state('scheduled', past), state('scheduled', past))).events).toEqual([
      ['article.updated', 'published', null],
    ]);
  });

  it('tells receivers when a public article leaves, and says nothing about drafts', () => {
    expect(plan(change('update', state('published', past), state('draft', past))).events).toEqual([
      ['article.unpublished', 'draft', null],
    ]);
    expect(plan(change('update', state('published', past), state('archived', past))).events).toEqual([
      ['article.unpublished', 'archived', null],
    ]);
    expect(plan(change('update', state('draft', null), state('draft', null))).events).toEqual([]);
    expect(plan(change('trash', state('draft', null), state('draft', null, true))).events).toEqual([]);
    expect(plan(change('trash', state('published', past), state('published', past, true))).events).toEqual([
      ['article.deleted', 'published', null],
    ]);
  });

  it('holds a scheduled publish back until its time, and replaces or cancels it on every later write', () => {
    expect(plan(change('create', null, state('scheduled', future)))).toEqual({
      cancel: [],
      events: [['article.published', 'published', future.toISOString()]],
    });
    const later = new Date('2030-01-02T00:00:00.000Z');
    expect(plan(change('update', state('scheduled', future), state('scheduled', later)))).toEqual({
      cancel: ['a1'],
      events: [['article.published', 'published', later.toISOString()]],
    });
    expect(plan(change('update', state('scheduled', future), state('draft', future)))).toEqual({
      cancel: ['a1'],
      events: [],
    });
    // Pulling a public article back to a future date unpublishes it until then.
    expect(plan(change('update', state('published', past), state('scheduled', future)))).toEqual({
      cancel: [],
      events: [
        ['article.unpublished', 'scheduled', null],
        ['article.published', 'published', future.toISOString()],
      ],
    });
    // A scheduled article was promised: deleting it is announced, and its publish never comes.
    expect(plan(change('trash', state('scheduled', future), state('scheduled', future, true)))).toEqual({
      cancel: ['a1'],
      events: [['article.deleted', 'scheduled', null]],
    });
  });
});
