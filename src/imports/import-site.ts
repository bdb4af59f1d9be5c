import type { EntityManager } from 'typeorm';
import type { FieldError } from '../common/errors/domain-error';
import { writeCuratedRanking } from '../rankings/rankings.repository';
import type { SectionRepository } from '../sections/section.repository';
import { SectionTree } from '../sections/section-tree';
import type { ArticleStore } from '../articles/article-store';
import type { RankingLine, SectionLine } from './site-lines';

export type SiteLineOutcome = 'created' | 'updated' | 'unchanged' | { errors: FieldError[] };

/**
 * A section line in the caller's transaction, under the section tree's lock: made, or brought to
 * the line's name, description and parent. Its parent must exist already (exports list parents
 * first); a move that would make a cycle is refused, as `PATCH /sections` refuses it.
 */
export async function writeSectionLine(
  manager: EntityManager,
  sections: SectionRepository,
  line: SectionLine,
): Promise<SiteLineOutcome> {
  await sections.lockTree(manager);
  const tree = new SectionTree(await sections.findAll(manager));
  const parent = line.parent === null ? null : tree.find({ slug: line.parent });
  if (parent === undefined) return { errors: [{ path: 'parent', message: `no section ${line.parent}` }] };
  const row = tree.find({ slug: line.slug });
  const wanted = { name: line.name, description: line.description, parentId: parent?.id ?? null };
  if (!row) {
    await sections.insert(manager, { slug: line.slug, ...wanted });
    return 'created';
  }
  if (parent && tree.isDescendantOrSelf(parent.id, row.id))
    return { errors: [{ path: 'parent', message: 'would make a cycle' }] };
  if (row.name === wanted.name && row.description === wanted.description && row.parentId === wanted.parentId)
    return 'unchanged';
  await sections.update(manager, row.id, wanted);
  return 'updated';
}

/** A ranking line in the caller's transaction: its members must be articles outside the trash. */
export async function writeRankingLine(
  manager: EntityManager,
  store: ArticleStore,
  line: RankingLine,
): Promise<SiteLineOutcome> {
  const found = await store.resolveArticles(manager, line.articles);
  const errors: FieldError[] = [];
  const ids: string[] = [];
  line.articles.forEach((key, i) => {
    const hit = found.find((f) => f.id === key.toLowerCase() || f.slug === key);
    if (!hit) errors.push({ path: `articles[${i}]`, message: `no article ${key}` });
    else if (ids.includes(hit.id)) errors.push({ path: `articles[${i}]`, message: 'is already in the list' });
    else ids.push(hit.id);
  });
  if (errors.length) return { errors };
  return writeCuratedRanking(manager, line.slug, line.title, ids);
}
