import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { copyTextChunks } from '../database/copy-text';
import { normalizeHeroImage, type ArticleSnapshot } from './article-input';
import type { ExistingArticle } from './article-prepare';
import type { ArticleStatus } from './article-status';
import { effectiveStatus, type ArticleWriteRow } from './article.repository';

/*
 * The article write path (issue 16), the store: every SQL statement that writes articles, tags,
 * their links (tags, extra sections, related pins) and revisions, and the reads a write needs.
 * Batch-first: each method takes a set of articles and the caller's EntityManager, so a write
 * is one transaction the caller owns and may add its own statements to (versions, audit rows).
 * A POST writes a batch of one; an import batches of 250, new articles by COPY on PostgreSQL
 * (one INSERT over one array per column on the embedded PGlite, and for API writes).
 */

export type LinkTable = 'article_tags' | 'article_sections' | 'article_related';
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

/**
 * Columns in ArticleSnapshot's order, then what exports add: a snapshot read here hashes
 * (contentHash) as the one preparation made it, key for key.
 */
const snapshotSelect = (now: string) => `
  SELECT a.slug, a.external_id AS "externalId", a.title, a.subtitle, a.dateline, a.byline, a.source, a.excerpt,
         coalesce(a.body, '[]') AS body, s.slug AS section,
         coalesce((SELECT array_agg(s2.slug ORDER BY x.position) FROM article_sections x
                   JOIN sections s2 ON s2.id = x.section_id WHERE x.article_id = a.id), '{}') AS sections,
         coalesce((SELECT array_agg(t.slug ORDER BY x.position) FROM article_tags x JOIN tags t ON t.id = x.tag_id
                   WHERE x.article_id = a.id), '{}') AS tags,
         a.hero_image AS "heroImage", ${effectiveStatus(now)} AS status, a.published_at AS "publishedAt",
         coalesce((SELECT array_agg(x.related_id::text ORDER BY x.position) FROM article_related x
                   WHERE x.article_id = a.id), '{}') AS "relatedArticles",
         a.id, a.updated_at AS "updatedAt", s.name AS "sectionName",
         coalesce((SELECT array_agg(t.name ORDER BY x.position) FROM article_tags x JOIN tags t ON t.id = x.tag_id
                   WHERE x.article_id = a.id), '{}') AS "tagNames",
         coalesce((SELECT array_agg(s2.name ORDER BY x.position) FROM article_sections x
                   JOIN sections s2 ON s2.id = x.section_id WHERE x.article_id = a.id), '{}') AS "sectionNames",
         coalesce((SELECT array_agg(r.slug ORDER BY x.position) FROM article_related x
                   JOIN articles r ON r.id = x.related_id WHERE x.article_id = a.id), '{}') AS "relatedSlugs"
    FROM articles a LEFT JOIN sections s ON s.id = a.section_id`;

/** A snapshot as the query reads it: the date as stored, the hero image as given. */
type SnapshotRow = Omit<StoredSnapshot, 'publishedAt'> & { publishedAt: Date | null };

const toSnapshot = (r: SnapshotRow): StoredSnapshot => ({
  ...r,
  heroImage: normalizeHeroImage(r.heroImage),
  publishedAt: r.publishedAt ? r.publishedAt.toISOString() : null,
});

/** The snapshot a revision keeps: the input document alone. */
export function revisionSnapshot(s: StoredSnapshot): ArticleSnapshot {
  const {
    id: _id,
    updatedAt: _u,
    relatedSlugs: _r,
    tagNames: _t,
    sectionNames: _s,
    sectionName: _n,
    ...snapshot
  } = s;
  return snapshot;
}

/**
 * The column list of an article row, once: every insert, update and COPY names these columns
 * in this order and takes its values from columnValues.
 */
const COLUMNS = [
  ['slug', 'text'],
  ['external_id', 'text'],
  ['title', 'text'],
  ['subtitle', 'text'],
  ['dateline', 'text'],
  ['byline', 'text'],
  ['source', 'text'],
  ['excerpt', 'text'],
  ['body', 'jsonb'],
  ['body_html', 'text'],
  ['body_text', 'text'],
  ['section_id', 'uuid'],
  ['hero_image', 'jsonb'],
  ['status', 'text'],
  ['published_at', 'timestamptz'],
  ['content_hash', 'text'],
] as const;
const COLUMN_NAMES = COLUMNS.map(([c]) => c).join(', ');
/** unnest over one array per column ($1…$16; JSON travels as text), with each row's ordinal. */
const UNNEST_ROWS = `unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type === 'jsonb' ? 'text' : type}[]`).join(', ')})
  WITH ORDINALITY AS r(${COLUMN_NAMES}, ord)`;
/** The unnested columns (of alias r) as stored: JSON parsed. */
const UNNEST_VALUES = COLUMNS.map(([c, type]) => (type === 'jsonb' ? `r.${c}::jsonb` : `r.${c}`)).join(', ');
const ROW_PARAMS = COLUMNS.length;

/** An article row's values in COLUMNS' order (the JSON columns as JSON text). */
function columnValues(row: ArticleWriteRow): (string | Date | null)[] {
  return [
    row.slug,
    row.externalId,
    row.title,
    row.subtitle,
    row.dateline,
    row.byline,
    row.source,
    row.excerpt,
    JSON.stringify(row.body),
    row.bodyHtml,
    row.bodyText,
    row.sectionId,
    row.heroImage ? JSON.stringify(row.heroImage) : null,
    row.status,
    row.publishedAt,
    row.contentHash,
  ];
}

/** One array per column, in COLUMNS' order. */
function rowParams(rows: ArticleWriteRow[]): unknown[] {
  const values = rows.map(columnValues);
  return Array.from({ length: ROW_PARAMS }, (_, column) => values.map((v) => v[column]));
}

/** Sorted by slug, so concurrent writers take row locks in one order. */
const bySlug = <T extends { slug: string }>(xs: T[]) =>
  [...xs].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));

@Injectable()
export class ArticleStore {
  constructor(
    readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private copy?: Promise<boolean>;

  /** One transaction; the manager is what every other method takes. */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /**
   * Whether the server takes COPY FROM STDIN: PostgreSQL does; the embedded PGlite, served over
   * pglite-socket, does not. Asked on the writer's own connection: PGlite holds every other
   * connection while a transaction is open.
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

  /** Transaction-scoped advisory locks, taken in one sorted pass so two writers cannot deadlock. */
  async lockKeys(manager: EntityManager, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM (SELECT DISTINCT k FROM unnest($1::text[]) k ORDER BY k) x`,
      [keys],
    );
  }

  /** Articles (trash included) by externalId, slug or id; with `lock`, locked for the transaction. */
  async findExisting(
    manager: EntityManager,
    keys: { externalIds?: string[]; slugs?: string[]; ids?: string[] },
    lock = false,
  ): Promise<ExistingArticle[]> {
    const { externalIds = [], slugs = [], ids = [] } = keys;
    if (!externalIds.length && !slugs.length && !ids.length) return [];
    const rows: {
      id: string;
      slug: string;
      external_id: string | null;
      status: ArticleStatus;
      published_at: Date | null;
      content_hash: string | null;
      deleted: boolean;
      version: number;
    }[] = await manager.query(
      `SELECT id, slug, external_id, status, published_at, content_hash, deleted_at IS NOT NULL AS deleted, version
         FROM articles WHERE external_id = ANY($1::text[]) OR slug = ANY($2::text[]) OR id = ANY($3::uuid[])
         ${lock ? 'FOR UPDATE' : ''}`,
      [externalIds, slugs, ids],
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      externalId: r.external_id,
      storedStatus: r.status,
      publishedAt: r.published_at,
      contentHash: r.content_hash,
      deleted: r.deleted,
      version: r.version,
    }));
  }

  /** Locks these articles' rows for the transaction, in id order (so two writers cannot deadlock). */
  async lockRows(manager: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await manager.query(`SELECT 1 FROM articles WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
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
      const sorted = bySlug(wanted);
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

  /** Tags by slug, made on first use. */
  async ensureTags(
    manager: EntityManager,
    tags: { slug: string; name: string }[],
  ): Promise<Map<string, string>> {
    if (!tags.length) return new Map();
    const sorted = bySlug(tags);
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

  /**
   * The media items of these ids that exist, each held (FOR KEY SHARE) until the write commits, so
   * a delete of one in use cannot slip between this check and the article that uses it.
   */
  async holdMedia(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM media WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async snapshots(manager: EntityManager, ids: string[]): Promise<StoredSnapshot[]> {
    if (!ids.length) return [];
    const rows: SnapshotRow[] = await manager.query(`${snapshotSelect('$2')} WHERE a.id = ANY($1::uuid[])`, [
      ids,
      this.clock.date(),
    ]);
    return rows.map(toSnapshot);
  }

  /**
   * One page of an export, oldest first (`createdAt`, then slug: a keyset cursor). An import
   * gives its new articles creation times in line order, so a site moved by export and import
   * exports in the same order again.
   */
  async snapshotPage(
    filter: { sectionId?: string; status?: ArticleStatus; updatedSince?: Date },
    afterId: string | null,
    limit: number,
  ): Promise<StoredSnapshot[]> {
    const where = ['a.deleted_at IS NULL'];
    const params: unknown[] = [this.clock.date()];
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
      `${snapshotSelect('$1')} WHERE ${where.join(' AND ')} ORDER BY a.created_at, a.slug LIMIT ${Number(limit)}`,
      params,
    );
    return rows.map(toSnapshot);
  }

  /**
   * New articles with the ids the batch gave them. With creation times (imports keep the file's
   * order) and a server that takes it, one COPY: it spares PostgreSQL parsing and planning one
   * array per column. Otherwise one INSERT over those arrays (created now when no time is given).
   */
  async insertArticles(
    manager: EntityManager,
    ids: string[],
    rows: ArticleWriteRow[],
    createdAt: string[] | null,
  ): Promise<void> {
    if (!rows.length) return;
    if (!createdAt || !(await this.copySupported(manager))) {
      await manager.query(
        `INSERT INTO articles (id, ${COLUMN_NAMES}, created_at)
         SELECT ($${ROW_PARAMS + 1}::uuid[])[ord], ${UNNEST_VALUES},
           coalesce(($${ROW_PARAMS + 2}::timestamptz[])[ord], now())
           FROM ${UNNEST_ROWS}`,
        [...rowParams(rows), ids, createdAt ?? []],
      );
      return;
    }
    if (!manager.queryRunner) throw new Error('insertArticles needs the transaction it writes in');
    const client = (await manager.queryRunner.connect()) as PoolClient;
    const record = (i: number) =>
      [ids[i], ...columnValues(rows[i]), createdAt[i]].map((v) => (v instanceof Date ? v.toISOString() : v));
    await pipeline(
      Readable.from(copyTextChunks(rows.map((_, i) => record(i)))),
      client.query(copyFrom(`COPY articles (id, ${COLUMN_NAMES}, created_at) FROM STDIN`)),
    );
  }

  /**
   * Changed articles in one statement. Every statement here that changes a stored article adds one
   * to its version (a new article starts at 1, the column's default).
   */
  async updateArticles(manager: EntityManager, ids: string[], rows: ArticleWriteRow[]): Promise<void> {
    if (!rows.length) return;
    await manager.query(
      `UPDATE articles a SET (${COLUMN_NAMES}, updated_at, version) = ROW(${UNNEST_VALUES}, now(), a.version + 1)
         FROM ${UNNEST_ROWS}
        WHERE a.id = ($${ROW_PARAMS + 1}::uuid[])[r.ord]`,
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

  async findRevision(manager: EntityManager, articleId: string, revisionId: string) {
    const rows: { snapshot: Record<string, unknown> }[] = await manager.query(
      `SELECT snapshot FROM article_revisions WHERE article_id = $1 AND id = $2`,
      [articleId, revisionId],
    );
    return rows[0]?.snapshot ?? null;
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

  async setStatus(
    manager: EntityManager,
    id: string,
    status: ArticleStatus,
    publishedAt: Date | null,
    contentHash: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE articles SET status=$2, published_at=$3, content_hash=$4, updated_at=now(), version=version+1
        WHERE id=$1`,
      [id, status, publishedAt, contentHash],
    );
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<void> {
    await manager.query(
      `UPDATE articles SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), version = version + 1
        WHERE id = $1`,
      [id],
    );
  }

  /**
   * Many generated articles in one statement (demo and benchmark data, one tag each at most);
   * returns their ids in order.
   */
  async insertGenerated(
    manager: EntityManager,
    rows: (ArticleWriteRow & { tagId: string | null })[],
  ): Promise<string[]> {
    if (!rows.length) return [];
    const ids = rows.map(() => randomUUID());
    await this.insertArticles(manager, ids, rows, null);
    const tagged = rows.map((r, i) => ({ id: ids[i], tagId: r.tagId })).filter((r) => r.tagId);
    if (tagged.length)
      await manager.query(
        `INSERT INTO article_tags (article_id, tag_id, position) SELECT a, t, 1 FROM unnest($1::uuid[], $2::uuid[]) AS x(a, t)`,
        [tagged.map((r) => r.id), tagged.map((r) => r.tagId)],
      );
    return ids;
  }
}
