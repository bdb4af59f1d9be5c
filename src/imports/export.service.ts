import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import type { ArticleStatus } from '../articles/article-status';
import { ArticleStore, type StoredSnapshot } from '../articles/article-store';
import { ImportRepository } from './import.repository';
import { rankingLine, sectionLine } from './site-lines';

/** Articles read per query of an export (the cursor's page). */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportFilter {
  section?: string;
  status?: ArticleStatus;
  updatedSince?: string;
}

/**
 * A site as NDJSON in the import format: the section tree (`"kind": "section"` lines, parents
 * first), every article outside the trash (lines without `kind`, oldest first, page by page with
 * a keyset cursor so memory stays flat), then the curated rankings (`"kind": "ranking"`). Imported
 * into an empty database it rebuilds what readers see, and exports the same bytes again. A
 * filtered export (section, status, updatedSince) is a selection of articles only. Ids, the
 * trash and reader data (reactions, views) are left out: an export moves content, and a
 * re-import never changes the counts anyway.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly repo: ImportRepository,
    private readonly store: ArticleStore,
  ) {}

  /** Checks the filter first (so a bad one is a 400 before any line), then yields the lines. */
  async lines(filter: ExportFilter): Promise<AsyncGenerator<string>> {
    let sectionId: string | undefined;
    if (filter.section) {
      sectionId = (await this.repo.sectionId(filter.section)) ?? undefined;
      if (!sectionId) throw new DomainError('SECTION_NOT_FOUND', `No section ${filter.section}.`);
    }
    const query = {
      sectionId,
      status: filter.status,
      updatedSince: filter.updatedSince ? new Date(filter.updatedSince) : undefined,
    };
    const repo = this.repo;
    const store = this.store;
    const whole = !filter.section && !filter.status && !filter.updatedSince;
    const json = (line: unknown) => `${JSON.stringify(line)}\n`;
    return (async function* () {
      if (whole) {
        const sections = (await repo.exportSections()).map((s) => json(sectionLine(s))).join('');
        if (sections) yield sections;
      }
      let after: string | null = null;
      for (;;) {
        const page = await store.snapshotPage(query, after, EXPORT_PAGE_SIZE);
        if (page.length) yield page.map((s) => json(toImportLine(s))).join('');
        if (page.length < EXPORT_PAGE_SIZE) break;
        after = page[page.length - 1].id;
      }
      if (whole) {
        const rankings = (await repo.exportRankings()).map((r) => json(rankingLine(r))).join('');
        if (rankings) yield rankings;
      }
    })();
  }
}

/** An article as one import line: the writable fields, nulls and empty lists left out. */
export function toImportLine(s: StoredSnapshot): Record<string, unknown> {
  const line: Record<string, unknown> = {
    externalId: s.externalId,
    slug: s.slug,
    title: s.title,
    subtitle: s.subtitle,
    dateline: s.dateline,
    byline: s.byline,
    source: s.source,
    excerpt: s.excerpt,
    section: s.section,
    sectionName: s.section ? s.sectionName : null,
    sections: s.sections.map((slug, i) => ({ slug, name: s.sectionNames[i] })),
    tags: s.tags.map((slug, i) => ({ slug, name: s.tagNames[i] })),
    status: s.status,
    publishedAt: s.publishedAt,
    heroImage: s.heroImage ? compact({ ...s.heroImage }) : null,
    relatedArticles: s.relatedSlugs,
    body: s.body,
  };
  return compact(line);
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o))
    if (v === null || (Array.isArray(v) && !v.length && k !== 'body')) delete o[k];
  return o;
}
