import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock, lruClock } from '../common/clock/clock';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/auth/actor';
import { LRUCache } from 'lru-cache';
import { CacheInvalidation } from '../common/cache/cache-invalidation';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import {
  PG_FOREIGN_KEY_VIOLATION,
  PG_RESTRICT_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgCode,
} from '../common/errors/pg-errors';
import type { IdOrSlug } from '../common/http/id-or-slug.pipe';
import type { CreateSectionInput, UpdateSectionInput } from './dto/section.input';
import type { Section } from './section.model';
import { SectionRepository } from './section.repository';
import { SectionTree } from './section-tree';

/**
 * How long another instance may keep using a tree it loaded before re-reading it. Writes on this
 * instance drop it at once; the contract allows other instances 1 s.
 */
const TREE_TTL_MS = 500;

const TREE = 'tree';

@Injectable()
export class SectionsService implements OnModuleInit {
  /**
   * The tree, read once for every concurrent reader and kept TREE_TTL_MS. A read in flight when
   * the tree is dropped still answers its callers but is not kept.
   */
  private readonly trees: LRUCache<typeof TREE, SectionTree>;

  constructor(
    private readonly sections: SectionRepository,
    private readonly invalidation: CacheInvalidation,
    private readonly audit: AuditService,
    clock: Clock,
  ) {
    this.trees = new LRUCache<typeof TREE, SectionTree>({
      max: 1,
      ttl: TREE_TTL_MS,
      ...lruClock(clock),
      ignoreFetchAbort: true,
      fetchMethod: async () => new SectionTree(await this.sections.findAll()),
    });
  }

  /** Another instance's section write: read the tree again (articles cached with it go too). */
  onModuleInit(): void {
    this.invalidation.onInvalidate((m) => {
      if (m.all) this.invalidate();
    });
  }

  /** The current tree, shared by every reader on this instance. */
  async tree(): Promise<SectionTree> {
    return (await this.trees.fetch(TREE)) as SectionTree;
  }

  /**
   * The tree as a transaction sees it, read through that transaction's connection (never a
   * second connection while one is held: with a pool of one that would wait forever).
   */
  async treeIn(manager: EntityManager): Promise<SectionTree> {
    return new SectionTree(await this.sections.findAll(manager));
  }

  async list(): Promise<Section[]> {
    return (await this.tree()).roots();
  }

  async find(key: IdOrSlug): Promise<Section | null> {
    const tree = await this.tree();
    const row = tree.find(key);
    return row ? tree.toModel(row) : null;
  }

  async get(key: IdOrSlug): Promise<Section> {
    const section = await this.find(key);
    if (!section)
      throw new DomainError('SECTION_NOT_FOUND', `No section ${'id' in key ? key.id : key.slug}.`);
    return section;
  }

  async create(input: CreateSectionInput, actor: Actor): Promise<Section> {
    const id = await this.write(async (manager, tree) => {
      const parentId = input.parent ? this.requireParent(tree, input.parent).id : null;
      const id = await this.sections.insert(manager, {
        slug: input.slug,
        name: input.name,
        description: input.description ?? null,
        parentId,
      });
      await this.audit.record(manager, actor, {
        action: 'section.create',
        entityType: 'section',
        entityId: id,
        summary: `created section ${input.slug}${input.parent ? ` under ${input.parent}` : ''}`,
      });
      return id;
    });
    return this.get({ id });
  }

  async update(key: IdOrSlug, input: UpdateSectionInput, actor: Actor): Promise<Section> {
    const id = await this.write(async (manager, tree) => {
      const row = tree.find(key);
      if (!row) throw new DomainError('SECTION_NOT_FOUND', 'No such section.');
      const patch: Parameters<SectionRepository['update']>[2] = {};
      // null cannot clear a slug or a name: it means "leave as it is", as GraphQL sends for omitted.
      if (input.slug != null) patch.slug = input.slug;
      if (input.name != null) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.parent !== undefined) {
        const parent = input.parent === null ? null : this.requireParent(tree, input.parent);
        if (parent && tree.isDescendantOrSelf(parent.id, row.id)) {
          throw new DomainError(
            'SECTION_CYCLE',
            `Moving ${row.slug} under ${parent.slug} would make a cycle.`,
            [{ path: 'parent', message: 'would make a cycle' }],
          );
        }
        patch.parentId = parent?.id ?? null;
      }
      if (Object.keys(patch).length) {
        await this.sections.update(manager, row.id, patch);
        await this.audit.record(manager, actor, {
          action: 'section.update',
          entityType: 'section',
          entityId: row.id,
          summary: `changed ${Object.keys(patch).join(', ')} of section ${row.slug}`,
        });
      }
      return row.id;
    });
    return this.get({ id });
  }

  async remove(key: IdOrSlug, actor: Actor): Promise<void> {
    await this.write(async (manager, tree) => {
      const row = tree.find(key);
      if (!row) throw new DomainError('SECTION_NOT_FOUND', 'No such section.');
      if (tree.subtreeIds(row.id).length > 1) {
        throw new DomainError('SECTION_NOT_EMPTY', `Section ${row.slug} still has child sections.`);
      }
      await this.sections.delete(manager, row.id);
      await this.audit.record(manager, actor, {
        action: 'section.delete',
        entityType: 'section',
        entityId: row.id,
        summary: `deleted section ${row.slug}`,
      });
    });
  }

  /** Drops this instance's copy of the tree (after a write here or a notice from another instance). */
  invalidate(): void {
    this.trees.clear();
  }

  private requireParent(tree: SectionTree, slug: string) {
    const parent = tree.find({ slug });
    if (!parent) {
      throw new DomainError('UNKNOWN_SECTION', `No section ${slug}.`, [
        { path: 'parent', message: `no section ${slug}` },
      ]);
    }
    return parent;
  }

  /** A tree change: in one transaction under the tree lock, against the tree as it is now. */
  private async write<T>(
    fn: (
      manager: Parameters<Parameters<SectionRepository['inTreeTransaction']>[0]>[0],
      tree: SectionTree,
    ) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.sections.inTreeTransaction(async (manager) => {
        const tree = new SectionTree(await this.sections.findAll(manager));
        return fn(manager, tree);
      });
    } catch (err) {
      const code = pgCode(err);
      if (code === PG_UNIQUE_VIOLATION)
        throw new DomainError('SLUG_TAKEN', 'A section with this slug exists.', [
          { path: 'slug', message: 'is already in use' },
        ]);
      if (code === PG_FOREIGN_KEY_VIOLATION || code === PG_RESTRICT_VIOLATION)
        throw new DomainError('SECTION_NOT_EMPTY', 'The section still has articles.');
      throw err;
    } finally {
      this.invalidate();
      // Section names and places show in every article's breadcrumb and in lists.
      this.invalidation.everythingChanged();
    }
  }
}
