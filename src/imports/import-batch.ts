import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { FieldError } from '../common/errors/domain-error';
import { planArticleEvents } from '../articles/article-events';
import type { ImportEvents } from './import-events';
import {
  baseSlug,
  prepareArticle,
  type ExistingArticle,
  type LineFields,
  type PreparedArticle,
  type PreparedBody,
  type ResolvedRefs,
} from './import-prepare';
import type { ImportRepository } from './import.repository';

export interface BatchLine {
  line: number;
  /** The line without its body fields: `body` has what they gave. */
  input: LineFields;
  /** Computed ahead (while the previous batch is being written). */
  body: PreparedBody;
}

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; externalId: string | null; message: string }[];
  /** Articles created or changed: the read caches drop them once the batch commits. */
  writtenIds: string[];
  /** Lines held back (`defer`): they pin articles not known yet, which may come later in the file. */
  deferred: BatchLine[];
}

export interface BatchOptions {
  createSections: boolean;
  author: string | null;
  events: ImportEvents;
  /** Hold back lines that pin unknown articles instead of failing them. */
  defer: boolean;
  /** When the import started: a new article's createdAt is this plus its line number in µs. */
  startedAt: Date;
}

/** Slugs tried for a new article before a random suffix: base, base-2 … base-SLUG_TRIES. */
const SLUG_TRIES = 20;

interface Planned {
  line: BatchLine;
  id: string;
  existing: ExistingArticle | null;
  prepared: PreparedArticle;
}

/**
 * One batch of import lines in one set-based pass inside the caller's transaction: keys locked,
 * existing articles, sections, tags and related articles resolved in bulk, content hashes
 * compared, then one INSERT for the new articles and one UPDATE for the changed ones (each
 * changed one keeping its previous version as a revision). A line that cannot be written is
 * reported alone; lines in a batch have distinct keys (the service makes sure).
 */
export async function writeImportBatch(
  manager: EntityManager,
  repo: ImportRepository,
  lines: BatchLine[],
  options: BatchOptions,
): Promise<BatchResult> {
  const result: BatchResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    writtenIds: [],
    deferred: [],
  };
  const failed = new Set<BatchLine>();
  const fail = (l: BatchLine, errors: FieldError[] | string) => {
    failed.add(l);
    result.errors.push({
      line: l.line,
      externalId: l.input.externalId ?? null,
      message: typeof errors === 'string' ? errors : errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    });
  };
  const now = new Date();

  // Keys: the externalId, else the slug. Slugs made from titles are locked too (as the writer does).
  const slugKey = (i: LineFields) => (i.externalId === undefined ? (i.slug ?? baseSlug(i.title)) : null);
  const locks: string[] = [];
  for (const { input } of lines) {
    if (input.externalId !== undefined) locks.push(`import-ext:${input.externalId}`);
    locks.push(`article-slug:${input.slug ?? baseSlug(input.title)}`);
  }
  await repo.lockKeys(manager, locks);

  const externalIds = lines.flatMap((l) => (l.input.externalId !== undefined ? [l.input.externalId] : []));
  const slugs = lines.flatMap((l) => [slugKey(l.input), l.input.slug].filter((s): s is string => !!s));
  const found = await repo.findExisting(manager, externalIds, slugs);
  const byExt = new Map(found.filter((f) => f.externalId !== null).map((f) => [f.externalId as string, f]));
  const bySlug = new Map(found.map((f) => [f.slug, f]));

  // The article each line writes, and its slug.
  const targets = new Map<BatchLine, ExistingArticle | null>();
  const slugOf = new Map<BatchLine, string>();
  const assigned = new Set<string>();
  const needSlug: BatchLine[] = [];
  for (const l of lines) {
    const { input } = l;
    const target =
      input.externalId !== undefined
        ? (byExt.get(input.externalId) ?? null)
        : (bySlug.get(slugKey(input) as string) ?? null);
    if (target?.deleted) {
      fail(
        l,
        `an article with this ${input.externalId !== undefined ? 'externalId' : 'slug'} is in the trash`,
      );
      continue;
    }
    const slug = input.slug ?? target?.slug;
    if (slug !== undefined) {
      const holder = bySlug.get(slug);
      if ((holder && holder.id !== target?.id) || assigned.has(slug)) {
        fail(l, [{ path: 'slug', message: 'is already in use' }]);
        continue;
      }
      assigned.add(slug);
      slugOf.set(l, slug);
    } else needSlug.push(l);
    targets.set(l, target);
  }
  if (needSlug.length) {
    // Most titles make a free slug: ask for the bases first, then for -2… only where one is taken.
    const all = needSlug.map((l) => baseSlug(l.input.title));
    const bases = [...new Set(all)];
    const taken = await repo.takenSlugs(manager, bases);
    const clashing = bases.filter(
      (b) => taken.has(b) || assigned.has(b) || all.indexOf(b) !== all.lastIndexOf(b),
    );
    if (clashing.length)
      for (const s of await repo.takenSlugs(
        manager,
        clashing.flatMap((b) => slugCandidates(b).slice(1)),
      ))
        taken.add(s);
    for (const l of needSlug) {
      const slug =
        slugCandidates(baseSlug(l.input.title)).find((s) => !taken.has(s) && !assigned.has(s)) ??
        `${baseSlug(l.input.title)}-${randomBytes(4).toString('hex')}`;
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
  const sectionIds = await repo.sections(
    manager,
    [...wantedSections].map(([slug, name]) => ({ slug, name })),
    options.createSections,
  );
  const relatedKeys = [...new Set(live.flatMap((l) => l.input.relatedArticles ?? []))];
  const relatedFound = await repo.resolveArticles(manager, relatedKeys);
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
    const refs = resolveRefs(l.input, sectionIds, relatedFound);
    if ('errors' in refs) {
      fail(l, refs.errors);
      continue;
    }
    const existing = targets.get(l) ?? null;
    const prepared = prepareArticle(l.input, slugOf.get(l) as string, refs, existing, now, l.body);
    if ('errors' in prepared) fail(l, prepared.errors);
    else planned.push({ line: l, id: idOf.get(l) as string, existing, prepared });
  }

  const creates = planned.filter((p) => !p.existing);
  const updates = planned.filter((p) => p.existing && p.existing.contentHash !== p.prepared.row.contentHash);
  result.unchanged = planned.length - creates.length - updates.length;
  result.created = creates.length;
  result.updated = updates.length;
  if (!creates.length && !updates.length) return result;

  const tagIds = await repo.ensureTags(manager, [
    ...new Map(
      [...creates, ...updates].flatMap((p) => p.prepared.tags.map((t) => [t.slug, t] as const)),
    ).values(),
  ]);
  const createdIds = creates.map((p) => p.id);
  await repo.insertArticles(
    manager,
    createdIds,
    creates.map((p) => p.prepared.row),
    creates.map((p) => createdAtOf(options.startedAt, p.line.line)),
  );
  const updatedIds = updates.map((p) => (p.existing as ExistingArticle).id);
  if (updates.length) {
    const previous = await repo.snapshots(manager, updatedIds);
    await repo.insertRevisions(
      manager,
      options.author,
      previous.map(
        ({
          id,
          updatedAt: _u,
          relatedSlugs: _r,
          tagNames: _t,
          sectionNames: _s,
          sectionName: _n,
          ...snapshot
        }) => ({
          articleId: id,
          snapshot: snapshot,
        }),
      ),
    );
    await repo.updateArticles(
      manager,
      updatedIds,
      updates.map((p) => p.prepared.row),
    );
  }

  const written = [
    ...creates.map((p, i) => ({ id: createdIds[i], p: p.prepared })),
    ...updates.map((p, i) => ({ id: updatedIds[i], p: p.prepared })),
  ];
  const ids = written.map((w) => w.id);
  result.writtenIds = ids;
  await repo.replaceLinks(
    manager,
    'article_tags',
    ids,
    written.flatMap((w) =>
      w.p.tags.map((t, i) => ({ articleId: w.id, targetId: tagIds.get(t.slug) as string, position: i + 1 })),
    ),
  );
  await repo.replaceLinks(
    manager,
    'article_sections',
    ids,
    written.flatMap((w) => w.p.sectionIds.map((s, i) => ({ articleId: w.id, targetId: s, position: i + 1 }))),
  );
  await repo.replaceLinks(
    manager,
    'article_related',
    ids,
    written.flatMap((w) =>
      w.p.relatedIds
        .filter((r) => r !== w.id)
        .map((r, i) => ({ articleId: w.id, targetId: r, position: i + 1 })),
    ),
  );
  await repo.raiseReactions(
    manager,
    creates.flatMap((p, i) =>
      (p.line.input.reactions ?? []).map((r) => ({ articleId: createdIds[i], ...r })),
    ),
  );
  // The events of the whole batch, from the same rule the article writer follows.
  const updatedAt = await repo.updatedAt(manager, ids);
  const after = (id: string, p: PreparedArticle) => ({
    id,
    slug: p.row.slug,
    title: p.row.title,
    storedStatus: p.row.status,
    publishedAt: p.row.publishedAt,
    deleted: false,
    updatedAt: updatedAt.get(id) as Date,
    section: p.snapshot.section,
  });
  await options.events.record(
    manager,
    planArticleEvents(
      [
        ...creates.map((p, i) => ({
          kind: 'create' as const,
          before: null,
          after: after(createdIds[i], p.prepared),
        })),
        ...updates.map((p, i) => ({
          kind: 'update' as const,
          before: p.existing as ExistingArticle,
          after: after(updatedIds[i], p.prepared),
        })),
      ],
      now,
    ),
  );
  return result;
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

/**
 * The creation time of an imported article: the import's start plus its line number in
 * microseconds, so articles keep the order of the file (and an export of the new database lists
 * them as the file did), whichever batch or writer stores them.
 */
export function createdAtOf(startedAt: Date, line: number): string {
  const micros = startedAt.getTime() * 1000 + line;
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, -1)}${String(micros % 1000).padStart(3, '0')}Z`;
}

function slugCandidates(base: string): string[] {
  const out = [base];
  for (let n = 2; n <= SLUG_TRIES; n++) out.push(`${base}-${n}`);
  return out;
}

function resolveRefs(
  input: LineFields,
  sectionIds: Map<string, string>,
  related: { id: string; slug: string }[],
): ResolvedRefs | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  let sectionId: string | null = null;
  if (input.section) {
    sectionId = sectionIds.get(input.section) ?? null;
    if (!sectionId) errors.push({ path: 'section', message: `no section ${input.section}` });
  }
  const sections: { id: string; slug: string }[] = [];
  (input.sections ?? []).forEach((s, i) => {
    const id = sectionIds.get(s.slug);
    if (!id) errors.push({ path: `sections[${i}]`, message: `no section ${s.slug}` });
    else if (!sections.some((x) => x.id === id)) sections.push({ id, slug: s.slug });
  });
  const relatedIds: string[] = [];
  [...new Set(input.relatedArticles ?? [])].forEach((k, i) => {
    const hit = related.find((r) => r.id === k.toLowerCase() || r.slug === k);
    if (!hit) errors.push({ path: `relatedArticles[${i}]`, message: `no article ${k}` });
    else if (!relatedIds.includes(hit.id)) relatedIds.push(hit.id);
  });
  return errors.length ? { errors } : { sectionId, sections, relatedIds };
}
