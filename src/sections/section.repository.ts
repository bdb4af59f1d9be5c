import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SectionEntity } from './section.entity';
import type { SectionRow } from './section-tree';

/** Any fixed number: the advisory lock that serialises changes to the section tree. */
const SECTION_TREE_LOCK = 0x5ec7;

@Injectable()
export class SectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findAll(manager: EntityManager = this.dataSource.manager): Promise<SectionRow[]> {
    return manager.query(`SELECT id, slug, name, description, parent_id AS "parentId" FROM sections`);
  }

  /** Runs fn in a transaction holding the tree lock, so concurrent moves cannot make a cycle. */
  async inTreeTransaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await this.lockTree(manager);
      return fn(manager);
    });
  }

  /** Takes the tree lock for the caller's transaction (an import writing section lines). */
  async lockTree(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [SECTION_TREE_LOCK]);
  }

  async insert(
    manager: EntityManager,
    row: { slug: string; name: string; description: string | null; parentId: string | null },
  ): Promise<string> {
    const result = await manager.insert(SectionEntity, row);
    return result.identifiers[0].id as string;
  }

  async update(
    manager: EntityManager,
    id: string,
    patch: Partial<{ slug: string; name: string; description: string | null; parentId: string | null }>,
  ): Promise<void> {
    await manager.update(SectionEntity, { id }, patch);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(SectionEntity, { id });
  }
}
