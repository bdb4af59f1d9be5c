import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SectionRepository } from '../sections/section.repository';

/**
 * The queries of imports and exports that are not about articles: the section tree and curated
 * rankings of a site export, and section lines. Articles are read and written by ArticleStore.
 */
@Injectable()
export class ImportRepository {
  /** Section rows, for an import's section lines (written in the import's own transaction). */
  readonly sectionRows: SectionRepository;

  constructor(readonly dataSource: DataSource) {
    this.sectionRows = new SectionRepository(dataSource);
  }

  /** Every section, parents before children (by depth, then slug), for a site export. */
  async exportSections(): Promise<
    { slug: string; name: string; description: string | null; parent: string | null }[]
  > {
    return this.dataSource.query(
      `WITH RECURSIVE tree AS (
         SELECT id, slug, name, description, NULL::text AS parent, 0 AS depth FROM sections WHERE parent_id IS NULL
         UNION ALL
         SELECT s.id, s.slug, s.name, s.description, t.slug, t.depth + 1
           FROM sections s JOIN tree t ON s.parent_id = t.id)
       SELECT slug, name, description, parent FROM tree ORDER BY depth, slug`,
    );
  }

  /** Every curated ranking by slug, its members (outside the trash) by slug, in order. */
  async exportRankings(): Promise<{ slug: string; title: string; articles: string[] }[]> {
    return this.dataSource.query(
      `SELECT r.slug, r.title,
              coalesce(array_agg(a.slug ORDER BY i.position) FILTER (WHERE a.id IS NOT NULL), '{}') AS articles
         FROM curated_rankings r
         LEFT JOIN curated_ranking_items i ON i.ranking_id = r.id
         LEFT JOIN articles a ON a.id = i.article_id AND a.deleted_at IS NULL
        GROUP BY r.id ORDER BY r.slug`,
    );
  }

  async sectionId(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM sections WHERE slug = $1`, [
      slug,
    ]);
    return rows[0]?.id ?? null;
  }
}
