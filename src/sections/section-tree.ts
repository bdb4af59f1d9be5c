import type { Section, SectionRef } from './section.model';

export interface SectionRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  parentId: string | null;
}

/** The whole section tree in memory: sections are few, and every answer needs their paths. */
export class SectionTree {
  private readonly byId = new Map<string, SectionRow>();
  private readonly bySlug = new Map<string, SectionRow>();
  private readonly childrenOf = new Map<string | null, SectionRow[]>();

  constructor(rows: SectionRow[]) {
    const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
    for (const row of sorted) {
      this.byId.set(row.id, row);
      this.bySlug.set(row.slug, row);
      const siblings = this.childrenOf.get(row.parentId) ?? [];
      siblings.push(row);
      this.childrenOf.set(row.parentId, siblings);
    }
  }

  find(key: { id: string } | { slug: string }): SectionRow | undefined {
    return 'id' in key ? this.byId.get(key.id) : this.bySlug.get(key.slug);
  }

  ref(id: string): SectionRef | null {
    const row = this.byId.get(id);
    return row ? { id: row.id, slug: row.slug, name: row.name } : null;
  }

  /** From the root down to the section itself. */
  breadcrumb(id: string): SectionRef[] {
    const path: SectionRef[] = [];
    const seen = new Set<string>();
    for (
      let row = this.byId.get(id);
      row && !seen.has(row.id);
      row = row.parentId ? this.byId.get(row.parentId) : undefined
    ) {
      seen.add(row.id);
      path.unshift({ id: row.id, slug: row.slug, name: row.name });
    }
    return path;
  }

  /** The section and every section below it. */
  subtreeIds(id: string): string[] {
    const out: string[] = [];
    const stack = [id];
    while (stack.length) {
      const current = stack.pop() as string;
      out.push(current);
      for (const child of this.childrenOf.get(current) ?? []) stack.push(child.id);
    }
    return out;
  }

  isDescendantOrSelf(candidateId: string, ancestorId: string): boolean {
    return this.subtreeIds(ancestorId).includes(candidateId);
  }

  toModel(row: SectionRow): Section {
    const parent = row.parentId ? this.byId.get(row.parentId) : undefined;
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      description: row.description,
      parent: parent?.slug ?? null,
      breadcrumb: this.breadcrumb(row.id),
      children: (this.childrenOf.get(row.id) ?? []).map((c) => this.toModel(c)),
    };
  }

  roots(): Section[] {
    return (this.childrenOf.get(null) ?? []).map((r) => this.toModel(r));
  }
}
