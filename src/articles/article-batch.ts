import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/auth/actor';
import type { DomainError, FieldError } from '../common/errors/domain-error';
import type { AuditChange } from '../audit/audit.repository';
import type { OutboxPlan } from '../webhooks/outbox.service';
import { planArticleEvents, type ArticleChange } from './article-events';
import {
  baseSlug,
  prepareArticle,
  resolveRefs,
  slugCandidates,
  type ExistingArticle,
  type LineFields,
  type PreparedArticle,
  type PreparedBody,
} from './article-prepare';
import type { ArticleSnapshot } from './article-input';
import { revisionSnapshot, type ArticleStore } from './article-store';

/*
 * The article write path (issue 16), step 3 of 3: one batch-first write, shared by the API (a
 * batch of one, ArticleWriter) and imports (batches of 250, ImportService). Keys are locked,
 * existing articles, sections, tags and pins resolved in bulk, content hashes compared, then one
 * INSERT (COPY) for the new articles and one UPDATE for the changed ones, each changed one
 * keeping its previous version as a revision, and the events planned by planArticleEvents, all
 * in the caller's transaction.
 */

export interface BatchLine {
  /** 1-based position (an import's line number; 1 for an API write). */
  line: number;
  /** The fields without their body: `body` has what they gave. */
  input: LineFields;
  body: PreparedBody;
  /** An update of this stored article (locked by the caller); else found by key or created. */
  target?: ExistingArticle;
}

/** Why a line was not written. `conflict` names a key another article holds. */
export interface BatchLineError {
  line: number;
  externalId: string | null;
  errors: FieldError[];
  /** A reason that is not about one field (the article is in the trash). */
  message?: string;
  /** Someone else holds the edit lease of the article the line would change (ARTICLE_LOCKED). */
  locked?: DomainError;
  conflict?: 'slug' | 'externalId';
}

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: BatchLineError[];
  /** The article of each written or unchanged line, by line. */
  ids: Map<number, string>;
  /** Articles created or changed: the read caches drop them once the batch commits. */
  writtenIds: string[];
  /** Lines held back (`defer`): they pin articles not known yet, which may come later in the file. */
  deferred: BatchLine[];
}

/** Where a batch records its webhook events: OutboxService.record in the server. */
export interface ArticleEventSink {
  record(manager: EntityManager, plan: OutboxPlan): Promise<void>;
}

/** Where a batch records its audit rows: AuditService.record in the server. */
export interface ArticleAuditSink {
  record(manager: EntityManager, actor: Actor, ...changes: AuditChange[]): Promise<void>;
}

/**
 * The edit leases a batch respects (EditLeases in the server): of these articles, whose rows the
 * batch has locked, those someone other than the actor holds, with the refusal to report.
 */
export interface ArticleLeaseGate {
  blocked(manager: EntityManager, articleIds: string[], actor: Actor): Promise<Map<string, DomainError>>;
}

export interface BatchOptions {
  /** `upsert` (imports): a line whose key is stored updates that article; `create` refuses it. */
  mode: 'upsert' | 'create';
  createSections: boolean;
  /** Who writes: revisions keep the name, leases the holder. */
  actor: Actor;
  events: ArticleEventSink;
  /** Every created or changed article gets its audit row, in the batch's transaction. */
  audit: ArticleAuditSink;
  /**
   * Imports: a line that would change a story someone else holds the lease of fails with the
   * lease's reason. (API writes check the lease themselves before they build their line.)
   */
  leases?: ArticleLeaseGate;
  /** Hold back lines that pin unknown articles instead of failing them. */
  defer: boolean;
  /** A new article's creation time by line (imports keep the file's order); else now. */
  createdAt?: (line: number) => string;
  now: Date;
}

export function emptyBatchResult(): BatchResult {
  return { created: 0, updated: 0, unchanged: 0, errors: [], ids: new Map(), writtenIds: [], deferred: [] };
}

interface Planned {
  line: BatchLine;
  id: string;
  existing: ExistingArticle | null;
  prepared: PreparedArticle;
}

/**
 * One batch in one set-based pass inside the caller's transaction. A line that cannot be written
 * is reported alone; lines in a batch have distinct keys (the caller makes sure).
 */
export async function writeArticleBatch(
  manager: EntityManager,
  store: ArticleStore,
  lines: BatchLine[],
  options: BatchOptions,
): Promise<BatchResult> {
  const result = emptyBatchResult();
  const failed = new Set<BatchLine>();
  const fail = (l: BatchLine, error: Omit<BatchLineError, 'line' | 'externalId'>) => {
    failed.add(l);
    result.errors.push({ line: l.line, externalId: l.input.externalId ?? null, ...error });
  };
  const { now } = options;

  // Keys: the externalId, else the slug (or the title's). Updates of a given article need none.
  const keyed = lines.filter((l) => !l.target);
  const slugKey = (i: LineFields) =>
    i.externalId === undefined ? (i.slug ?? baseSlug(i.title ?? '')) : null;
  const locks: string[] = [];
  for (const { input } of keyed) {
    if (input.externalId !== undefined) locks.push(`import-ext:${input.externalId}`);
    locks.push(`article-slug:${input.slug ?? baseSlug(input.title ?? '')}`);
  }
  await store.lockKeys(manager, locks);

  const externalIds = keyed.flatMap((l) => (l.input.externalId !== undefined ? [l.input.externalId] : []));
  const slugs = lines.flatMap((l) =>
    [l.target ? null : slugKey(l.input), l.input.slug].filter((s): s is string => !!s),
  );
  const found = await store.findExisting(manager, { externalIds, slugs });
  const byExt = new Map(found.filter((f) => f.externalId !== null).map((f) => [f.externalId as string, f]));
  const bySlug = new Map(found.map((f) => [f.slug, f]));

  // The article each line writes, and its slug.
  const targets = new Map<BatchLine, ExistingArticle | null>();
  const slugOf = new Map<BatchLine, string>();
  const assigned = new Set<string>();
  const needSlug: BatchLine[] = [];
  for (const l of lines) {
    const { input } = l;
    let target = l.target ?? null;
    if (!l.target) {
      const key = input.externalId !== undefined ? 'externalId' : 'slug';
      const hit =
        key === 'externalId'
          ? (byExt.get(input.externalId as string) ?? null)
          : (bySlug.get(slugKey(input) as string) ?? null);
      if (hit && options.mode === 'create') {
        // A new article's slug made from its title moves on to -2 instead.
        if (key === 'externalId' || input.slug !== undefined) {
          fail(l, { errors: [{ path: key, message: 'is already in use' }], conflict: key });
          continue;
        }
      } else if (hit?.deleted) {
        fail(l, { errors: [], message: `an article with this ${key} is in the trash` });
        continue;
      } else target = hit;
    }
    const slug = input.slug ?? target?.slug;
    if (slug !== undefined) {
      const holder = bySlug.get(slug);
      if ((holder && holder.id !== target?.id) || assigned.has(slug)) {
        fail(l, { errors: [{ path: 'slug', message: 'is already in use' }], conflict: 'slug' });
        continue;
      }
      assigned.add(slug);
      slugOf.set(l, slug);
    } else needSlug.push(l);
    targets.set(l, target);
  }
  if (needSlug.length) {
    // Most titles make a free slug: ask for the bases first, then for -2… only where one is taken.
    const all = needSlug.map((l) => baseSlug(l.input.title ?? ''));
    const bases = [...new Set(all)];
    const taken = await store.takenSlugs(manager, bases);
    const clashing = bases.filter(
      (b) => taken.has(b) || assigned.has(b) || all.indexOf(b) !== all.lastIndexOf(b),
    );
    if (clashing.length)
      for (const s of await store.takenSlugs(
        manager,
        clashing.flatMap((b) => slugCandidates(b).slice(1)),
      ))
        taken.add(s);
    for (const [i, l] of needSlug.entries()) {
      const slug =
        slugCandidates(all[i]).find((s) => !taken.has(s) && !assigned.has(s)) ??
        `${all[i]}-${randomBytes(4).toString('hex')}`;
      assigned.add(slug);
      slugOf.set(l, slug);
    }
  }

  // Sections, made when asked, and related articles, in bulk.
  let live = lines.filter((l) => !failed.has(l));
  const wantedSections = new Map<string, string>();
  for (const { input } of live) {
    if (input.section)
      wantedSections.set(
        input.section,
        input.sectionName ?? wantedSections.get(input.section) ?? input.section,
      );
    for (const s of input.sections ?? [])
      if (!wantedSections.has(s.slug)) wantedSections.set(s.slug, s.name ?? s.slug);
  }
  const sectionIds = await store.sections(
    manager,
    [...wantedSections].map(([slug, name]) => ({ slug, name })),
    options.createSections,
  );
  const relatedKeys = [...new Set(live.flatMap((l) => l.input.relatedArticles ?? []))];
  const relatedFound = await store.resolveArticles(manager, relatedKeys);
  const mediaFound = await store.holdMedia(manager, [
    ...new Set(
      live.flatMap((l) => (l.input.heroImage?.media ? [l.input.heroImage.media.toLowerCase()] : [])),
    ),
  ]);
  if (options.defer) {
    result.deferred = pinningUnknown(live, relatedFound, slugOf);
    live = live.filter((l) => !result.deferred.includes(l));
  }

  // New articles get their ids now, so lines may pin articles made in the same batch.
  const idOf = new Map<BatchLine, string>();
  for (const l of live) {
    const id = targets.get(l)?.id ?? randomUUID();
    idOf.set(l, id);
    relatedFound.push({ id, slug: slugOf.get(l) as string });
  }
  const planned: Planned[] = [];
  for (const l of live) {
    const refs = resolveRefs(l.input, sectionIds, relatedFound, mediaFound);
    const existing = targets.get(l) ?? null;
    const prepared = prepareArticle(
      l.input,
      slugOf.get(l) as string,
      'errors' in refs ? { sectionId: null, sections: [], relatedIds: [] } : refs,
      existing,
      now,
      l.body,
    );
    const errors = [
      ...('errors' in prepared ? prepared.errors : []),
      ...('errors' in refs ? refs.errors : []),
    ];
    if (errors.length || 'errors' in prepared) fail(l, { errors });
    else planned.push({ line: l, id: idOf.get(l) as string, existing, prepared });
  }
  const changesStored = (p: Planned) => !!p.existing && p.existing.contentHash !== p.prepared.row.contentHash;
  if (options.leases) {
    const ids = planned.filter(changesStored).map((p) => p.id);
    // Locked first (in id order), so a lease cannot be taken between this look and the write.
    await store.lockRows(manager, ids);
    const blocked = ids.length ? await options.leases.blocked(manager, ids, options.actor) : new Map();
    for (const p of planned.filter((p) => blocked.has(p.id))) {
      const locked = blocked.get(p.id) as DomainError;
      fail(p.line, { errors: [], message: locked.message, locked });
    }
    planned.splice(0, planned.length, ...planned.filter((p) => !blocked.has(p.id)));
  }
  for (const p of planned) result.ids.set(p.line.line, p.id);

  const creates = planned.filter((p) => !p.existing);
  const updates = planned.filter(changesStored);
  result.unchanged = planned.length - creates.length - updates.length;
  result.created = creates.length;
  result.updated = updates.length;
  if (!creates.length && !updates.length) return result;

  const tagIds = await store.ensureTags(manager, [
    ...new Map(
      [...creates, ...updates].flatMap((p) => p.prepared.tags.map((t) => [t.slug, t] as const)),
    ).values(),
  ]);
  const createdAt = options.createdAt;
  await store.insertArticles(
    manager,
    creates.map((p) => p.id),
    creates.map((p) => p.prepared.row),
    createdAt ? creates.map((p) => createdAt(p.line.line)) : null,
  );
  const before = new Map<string, ArticleSnapshot>();
  if (updates.length) {
    const previous = await store.snapshots(
      manager,
      updates.map((p) => p.id),
    );
    for (const s of previous) before.set(s.id, revisionSnapshot(s));
    await store.insertRevisions(
      manager,
      options.actor.name,
      previous.map((s) => ({ articleId: s.id, snapshot: revisionSnapshot(s) })),
    );
    await store.updateArticles(
      manager,
      updates.map((p) => p.id),
      updates.map((p) => p.prepared.row),
    );
  }

  const written = [...creates, ...updates];
  const ids = written.map((w) => w.id);
  result.writtenIds = ids;
  const links = (targets: (w: Planned) => string[]) =>
    written.flatMap((w) => targets(w).map((t, i) => ({ articleId: w.id, targetId: t, position: i + 1 })));
  await store.replaceLinks(
    manager,
    'article_tags',
    ids,
    links((w) => w.prepared.tags.map((t) => tagIds.get(t.slug) as string)),
  );
  await store.replaceLinks(
    manager,
    'article_sections',
    ids,
    links((w) => w.prepared.sectionIds),
  );
  await store.replaceLinks(
    manager,
    'article_related',
    ids,
    links((w) => w.prepared.relatedIds.filter((r) => r !== w.id)),
  );
  await store.raiseReactions(
    manager,
    creates.flatMap((p) => (p.line.input.reactions ?? []).map((r) => ({ articleId: p.id, ...r }))),
  );
  // The events of the whole batch, from the one rule every write follows.
  const updatedAt = await store.updatedAt(manager, ids);
  const changes: ArticleChange[] = written.map((p) => ({
    kind: p.existing ? 'update' : 'create',
    before: p.existing,
    after: {
      id: p.id,
      slug: p.prepared.row.slug,
      title: p.prepared.row.title,
      storedStatus: p.prepared.row.status,
      publishedAt: p.prepared.row.publishedAt,
      deleted: false,
      updatedAt: updatedAt.get(p.id) as Date,
      section: p.prepared.snapshot.section,
    },
  }));
  await options.events.record(manager, planArticleEvents(changes, now));
  await options.audit.record(manager, options.actor, ...written.map((p) => auditOf(p, before.get(p.id))));
  return result;
}

/** A written line's audit row: what was created, or which fields changed. */
function auditOf(p: Planned, before: ArticleSnapshot | undefined): AuditChange {
  const title = JSON.stringify(p.prepared.row.title);
  if (!p.existing || !before)
    return {
      action: 'article.create',
      entityType: 'article',
      entityId: p.id,
      summary: `created ${title} (${p.prepared.row.status})`,
    };
  const after = p.prepared.snapshot as unknown as Record<string, unknown>;
  const was = before as unknown as Record<string, unknown>;
  const fields = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(was[k]));
  return {
    action: 'article.update',
    entityType: 'article',
    entityId: p.id,
    summary: `changed ${fields.join(', ') || 'nothing visible'} of ${title}`,
  };
}

/**
 * The lines that pin an article neither stored nor written by another line of the batch (one
 * that is not held back itself). A line is held back whole, so nothing of it is written early.
 */
function pinningUnknown(
  lines: BatchLine[],
  stored: { id: string; slug: string }[],
  slugOf: Map<BatchLine, string>,
): BatchLine[] {
  const held = new Set<BatchLine>();
  for (;;) {
    const known = new Set(stored.flatMap((a) => [a.id, a.slug]));
    for (const l of lines) if (!held.has(l)) known.add(slugOf.get(l) as string);
    const more = lines.filter(
      (l) =>
        !held.has(l) &&
        (l.input.relatedArticles ?? []).some((k) => !known.has(k) && !known.has(k.toLowerCase())),
    );
    if (!more.length) return lines.filter((l) => held.has(l));
    for (const l of more) held.add(l);
  }
}
