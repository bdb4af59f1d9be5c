import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import type { ArticleSnapshot, HeroImageValue } from '../articles/article-input';
import { copyTextChunks } from '../database/copy-text';
import type { ArticleStatus } from '../articles/article-status';
import { articleRowValues, type ArticleWriteRow } from '../articles/article.repository';
import type { Block } from '../articles/body/blocks';
import { SectionRepository } from '../sections/section.repository';
import type { ExistingArticle } from './import-prepare';

type LinkTable = 'article_tags' | 'article_sections' | 'article_related';
const LINK_COLUMN: Record<LinkTable, string> = {
  article_tags: 'tag_id',
  article_sections: 'section_id',
  article_related: 'related_id',
};

/** An article as an input document with its id and update time (revisions and exports). */
export interface StoredSnapshot extends ArticleSnapshot {
  id: string;
  updatedAt: Date;
  /** Related articles by slug (exports); `relatedArticles` has their ids (as revisions keep them). */
  relatedSlugs: string[];
  /** Names, for exports: of the tags and extra sections (in their order) and of the main section. */
  tagNames: string[];
  sectionNames: string[];
  sectionName: string | null;
}

const SNAPSHOT_SELECT = `
  SELECT a.id, a.slug, a.external_id, a.title, a.subtitle, a.dateline, a.byline, a.source, a.excerpt,
         a.body, s.slug AS section, s.name AS section_name, a.hero_image,
         CASE WHEN a.status = 'scheduled' AND a.published_at <= now() THEN 'published' ELSE a.status END AS status,
         a.published_at, a.updated_at,
         coalesce((SELECT array_agg(t.slug ORDER BY x.position) FROM article_tags x JOIN tags t ON t.id = x.tag_id
                   WHERE x.article_id = a.id), '{}') AS tags,
         coalesce((SELECT array_agg(t.name ORDER BY x.position) FROM article_tags x JOIN tags t ON t.id = x.tag_id
                   WHERE x.article_id = a.id), '{}') AS tag_names,
         coalesce((SELECT array_agg(s2.name ORDER BY x.position) FROM article_sections x
                   JOIN sections s2 ON s2.id = x.section_id WHERE x.article_id = a.id), '{}') AS section_names,
         coalesce((SELECT array_agg(s2.slug ORDER BY x.position) FROM article_sections x
                   JOIN sections s2 ON s2.id = x.section_id WHERE x.article_id = a.id), '{}') AS sections,
         coalesce((SELECT array_agg(x.related_id::text ORDER BY x.position) FROM article_related x
                   WHERE x.article_id = a.id), '{}') AS related_ids,
         coalesce((SELECT array_agg(r.slug ORDER BY x.position) FROM article_related x
                   JOIN articles r ON r.id = x.related_id WHERE x.article_id = a.id), '{}') AS related_slugs
    FROM articles a LEFT JOIN sections s ON s.id = a.section_id`;

interface SnapshotRow {
  id: string;
  slug: string;
  external_id: string | null;
  title: string;
  subtitle: string | null;
  dateline: string | null;
  byline: string | null;
  source: string | null;
  excerpt: string | null;
  body: Block[];
  section: string | null;
  section_name: string | null;
  tag_names: string[];
  section_names: string[];
  hero_image: HeroImageValue | null;
  status: ArticleStatus;
  published_at: Date | null;
  updated_at: Date;
  tags: string[];
  sections: string[];
  related_ids: string[];
  related_slugs: string[];
}

function toSnapshot(r: SnapshotRow): StoredSnapshot {
  const h = r.hero_image;
  return {
    id: r.id,
    updatedAt: r.updated_at,
    relatedSlugs: r.related_slugs,
    tagNames: r.tag_names,
    sectionNames: r.section_names,
    sectionName: r.section_name,
    slug: r.slug,
    externalId: r.external_id,
    title: r.title,
    subtitle: r.subtitle,
    dateline: r.dateline,
    byline: r.byline,
    source: r.source,
    excerpt: r.excerpt,
    body: r.body ?? [],
    section: r.section,
    sections: r.sections,
    tags: r.tags,
    heroImage: h
      ? {
          url: h.url,
          alt: h.alt ?? null,
          caption: h.caption ?? null,
          credit: h.credit ?? null,
          width: h.width ?? null,
          height: h.height ?? null,
        }
      : null,
    status: r.status,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    relatedArticles: r.related_ids,
  };
}

/** Every query of imports and exports; each write runs in the caller's transaction. */
@Injectable()
export class ImportRepository {
  /** Section rows, for an import's section lines (written in the import's own transaction). */
  readonly sectionRows: SectionRepository;

  constructor(readonly dataSource: DataSource) {
    this.sectionRows = new SectionRepository(dataSource);
  }

  private copy?: Promise<boolean>;

  /**
   * Whether the server takes COPY FROM STDIN: PostgreSQL does; the embedded PGlite, served over
   * pglite-socket, does not, and gets the INSERT over one array per column instead. Asked on the
   * writer's own connection: PGlite holds every other connection while a transaction is open.
   */
  private copySupported(manager: EntityManager): Promise<boolean> {
    this.copy ??= manager
      .query(`SELECT version() AS v`)
      .then((rows: { v: string }[]) => !/\bPGlite\b/.test(rows[0]?.v ?? ''))
      .catch((err: unknown) => {
        // Asked again next time: a failed question is no answer.
        this.copy = undefined;
        throw err;
      });
    return this.copy;
  }

  /** Transaction-scoped advisory locks, taken in one sorted pass so two imports cannot deadlock. */
  async lockKeys(manager: EntityManager, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT DISTINCT k FROM unnest($1::text[]) k ORDER BY k) x`,
      [keys],
    );
  }

  async findExisting(
    manager: EntityManager,
    externalIds: string[],
    slugs: string[],
  ): Promise<ExistingArticle[]> {
    if (!externalIds.length && !slugs.length) return [];
    const rows: {
      id: string;
      slug: string;
      external_id: string | null;
      status: ArticleStatus;
      published_at: Date | null;
      content_hash: string | null;
      deleted: boolean;
    }[] = await manager.query(
      `SELECT id, slug, external_id, status, published_at, content_hash, deleted_at IS NOT NULL AS deleted
         FROM articles WHERE external_id = ANY($1::text[]) OR slug = ANY($2::text[])`,
      [externalIds, slugs],
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      externalId: r.external_id,
      storedStatus: r.status,
      publishedAt: r.published_at,
      contentHash: r.content_hash,
      deleted: r.deleted,
    }));
  }

  /** When these articles were last written (their webhook events carry it). */
  async updatedAt(manager: EntityManager, ids: string[]): Promise<Map<string, Date>> {
    if (!ids.length) return new Map();
    const rows: { id: string; updated_at: Date }[] = await manager.query(
      `SELECT id, updated_at FROM articles WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.updated_at]));
  }

  async takenSlugs(manager: EntityManager, candidates: string[]): Promise<Set<string>> {
    if (!candidates.length) return new Set();
    const rows: { slug: string }[] = await manager.query(
      `SELECT slug FROM articles WHERE slug = ANY($1::text[])`,
      [candidates],
    );
    return new Set(rows.map((r) => r.slug));
  }

  /** Sections by slug; with `create`, the missing ones are made first (at the top level). */
  async sections(
    manager: EntityManager,
    wanted: { slug: string; name: string }[],
    create: boolean,
  ): Promise<Map<string, string>> {
    if (!wanted.length) return new Map();
    if (create) {
      const sorted = [...wanted].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
      await manager.query(
        `INSERT INTO sections (slug, name) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (slug) DO NOTHING`,
        [sorted.map((s) => s.slug), sorted.map((s) => s.name)],
      );
    }
    const rows: { id: string; slug: string }[] = await manager.query(
      `SELECT id, slug FROM sections WHERE slug = ANY($1::text[])`,
      [wanted.map((s) => s.slug)],
    );
    return new Map(rows.map((r) => [r.slug, r.id]));
  }

  /** Tags by slug, made on first use (sorted, so concurrent imports take row locks in one order). */
  async ensureTags(
    manager: EntityManager,
    tags: { slug: string; name: string }[],
  ): Promise<Map<string, string>> {
    if (!tags.length) return new Map();
    const sorted = [...tags].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
    await manager.query(
      `INSERT INTO tags (slug, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`,
      [sorted.map((t) => t.slug), sorted.map((t) => t.name)],
    );
    const rows: { id: string; slug: string }[] = await manager.query(
      `SELECT id, slug FROM tags WHERE slug = ANY($1::text[])`,
      [sorted.map((t) => t.slug)],
    );
    return new Map(rows.map((r) => [r.slug, r.id]));
  }

  /** Live articles named by id or slug. */
  async resolveArticles(manager: EntityManager, keys: string[]): Promise<{ id: string; slug: string }[]> {
    if (!keys.length) return [];
    const ids = keys.filter((k) => /^[0-9a-f-]{36}$/i.test(k)).map((k) => k.toLowerCase());
    return manager.query(
      `SELECT id, slug FROM articles WHERE deleted_at IS NULL AND (id = ANY($1::uuid[]) OR slug = ANY($2::text[]))`,
      [ids, keys],
    );
  }

  async snapshots(manager: EntityManager, ids: string[]): Promise<StoredSnapshot[]> {
    if (!ids.length) return [];
    const rows: SnapshotRow[] = await manager.query(`${SNAPSHOT_SELECT} WHERE a.id = ANY($1::uuid[])`, [ids]);
    return rows.map(toSnapshot);
  }

  /**
   * One page of an export, oldest first (`createdAt`, then slug: a keyset cursor). An import
   * gives its new articles creation times in line order, so a site moved by export and import
   * exports in the same order again.
   */
  async exportPage(
    filter: { sectionId?: string; status?: ArticleStatus; updatedSince?: Date },
    afterId: string | null,
    limit: number,
  ): Promise<StoredSnapshot[]> {
    const where = ['a.deleted_at IS NULL'];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.sectionId) where.push(`a.section_id = ${p(filter.sectionId)}`);
    if (filter.status) where.push(`a.status = ${p(filter.status)}`);
    if (filter.updatedSince) where.push(`a.updated_at >= ${p(filter.updatedSince)}`);
    // The cursor is the last article's id: its stored time keeps every microsecond.
    if (afterId !== null)
      where.push(`(a.created_at, a.slug) > (SELECT created_at, slug FROM articles WHERE id = ${p(afterId)})`);
    const rows: SnapshotRow[] = await this.dataSource.query(
      `${SNAPSHOT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.created_at, a.slug LIMIT ${Number(limit)}`,
      params,
    );
    return rows.map(toSnapshot);
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

  /**
   * New articles in one COPY, with the ids the batch gave them (on the manager's connection, so in
   * its transaction). COPY spares PostgreSQL parsing and planning one array per column; where the
   * server has no COPY (the embedded database), one INSERT over those arrays.
   */
  async insertArticles(
    manager: EntityManager,
    ids: string[],
    rows: ArticleWriteRow[],
    createdAt: string[],
  ): Promise<void> {
    if (!rows.length) return;
    if (!(await this.copySupported(manager))) {
      await manager.query(
        `INSERT INTO articles (id, slug, external_id, title, subtitle, dateline, byline, source, excerpt, body,
           body_html, body_text, section_id, hero_image, status, published_at, content_hash, created_at)
         SELECT ($${ROW_PARAMS + 1}::uuid[])[ord], slug, external_id, title, subtitle, dateline, byline, source,
           excerpt, body::jsonb, body_html, body_text, section_id, hero_image::jsonb, status, published_at, content_hash,
           ($${ROW_PARAMS + 2}::timestamptz[])[ord]
           FROM ${UNNEST_ROWS}`,
        [...rowParams(rows), ids, createdAt],
      );
      return;
    }
    if (!manager.queryRunner) throw new Error('insertArticles needs the transaction it writes in');
    const client = (await manager.queryRunner.connect()) as PoolClient;
    await pipeline(
      Readable.from(copyTextChunks(rows.map((r, i) => [...copyRecord(ids[i], r), createdAt[i]]))),
      client.query(
        copyFrom(
          `COPY articles (id, slug, external_id, title, subtitle, dateline, byline, source, excerpt, body,
             body_html, body_text, section_id, hero_image, status, published_at, content_hash, created_at)
           FROM STDIN`,
        ),
      ),
    );
  }

  /** Changed articles in one statement. */
  async updateArticles(manager: EntityManager, ids: string[], rows: ArticleWriteRow[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `UPDATE articles a SET slug = x.slug, external_id = x.external_id, title = x.title, subtitle = x.subtitle,
         dateline = x.dateline, byline = x.byline, source = x.source, excerpt = x.excerpt, body = x.body::jsonb,
         body_html = x.body_html, body_text = x.body_text, section_id = x.section_id,
         hero_image = x.hero_image::jsonb, status = x.status, published_at = x.published_at,
         content_hash = x.content_hash, updated_at = now()
         FROM (SELECT * FROM ${UNNEST_ROWS}) x
        WHERE a.id = ($${ROW_PARAMS + 1}::uuid[])[x.ord]`,
      [...rowParams(rows), ids],
    );
  }

  /** Replaces the ordered links (tags, extra sections, related pins) of these articles. */
  async replaceLinks(
    manager: EntityManager,
    table: LinkTable,
    articleIds: string[],
    links: { articleId: string; targetId: string; position: number }[],
  ): Promise<void> {
    if (!articleIds.length) return;
    await manager.query(`DELETE FROM ${table} WHERE article_id = ANY($1::uuid[])`, [articleIds]);
    if (!links.length) return;
    await manager.query(
      `INSERT INTO ${table} (article_id, ${LINK_COLUMN[table]}, position)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[])`,
      [links.map((l) => l.articleId), links.map((l) => l.targetId), links.map((l) => l.position)],
    );
  }

  async insertRevisions(
    manager: EntityManager,
    author: string | null,
    revisions: { articleId: string; snapshot: ArticleSnapshot }[],
  ): Promise<void> {
    if (!revisions.length) return;
    await manager.query(
      `INSERT INTO article_revisions (article_id, author, snapshot, created_at)
       SELECT a, $1, s::jsonb, clock_timestamp() FROM unnest($2::uuid[], $3::text[]) AS x(a, s)`,
      [author, revisions.map((r) => r.articleId), revisions.map((r) => JSON.stringify(r.snapshot))],
    );
  }

  /** Imported counts of new articles, never lowering a live count. */
  async raiseReactions(
    manager: EntityManager,
    counts: { articleId: string; type: string; count: number }[],
  ): Promise<void> {
    if (!counts.length) return;
    await manager.query(
      `INSERT INTO article_reactions (article_id, type, count)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[])
       ON CONFLICT (article_id, type) DO UPDATE SET count = GREATEST(article_reactions.count, excluded.count)`,
      [counts.map((c) => c.articleId), counts.map((c) => c.type), counts.map((c) => c.count)],
    );
  }
}

const ROW_PARAMS = 16;
const UNNEST_ROWS = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
  $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[], $13::text[], $14::text[], $15::timestamptz[],
  $16::text[]) WITH ORDINALITY AS r(slug, external_id, title, subtitle, dateline, byline, source, excerpt, body,
  body_html, body_text, section_id, hero_image, status, published_at, content_hash, ord)`;

/** One article as a COPY record, in insertArticles' column order (its id first). */
function copyRecord(id: string, r: ArticleWriteRow): (string | null)[] {
  return [id, ...articleRowValues(r)].map((v) => (v instanceof Date ? v.toISOString() : v));
}

/** One array per column, in UNNEST_ROWS' order. */
function rowParams(rows: ArticleWriteRow[]): unknown[] {
  const values = rows.map(articleRowValues);
  return Array.from({ length: ROW_PARAMS }, (_, column) => values.map((v) => v[column]));
}
