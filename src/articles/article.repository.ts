import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ArticleStatus } from './article-status';
import type { Block } from './body/blocks';

/** The one definition of "the public may see this article": scheduling needs no cron job. */
export function publicPredicate(a = 'a'): string {
  return `${a}.deleted_at IS NULL AND ${a}.status IN ('published', 'scheduled') AND ${a}.published_at <= now()`;
}

/** A scheduled article whose time has come reads as published. */
const EFFECTIVE_STATUS = `CASE WHEN a.status = 'scheduled' AND a.published_at <= now() THEN 'published' ELSE a.status END`;
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const SUMMARY_COLUMNS = `a.id, a.slug, a.external_id AS "externalId", a.title, a.subtitle, a.dateline, a.byline,
  a.source, a.excerpt, a.section_id AS "sectionId", a.hero_image AS "heroImage", ${EFFECTIVE_STATUS} AS status,
  a.status AS "storedStatus", a.published_at AS "publishedAt", a.created_at AS "createdAt",
  a.updated_at AS "updatedAt", a.deleted_at AS "deletedAt", a.view_count::int AS "viewCount",
  a.content_hash AS "contentHash"`;
const BODY_COLUMNS = `, a.body, a.body_html AS "bodyHtml", a.body_text AS "bodyText"`;

export interface ArticleRow {
  id: string;
  slug: string;
  externalId: string | null;
  title: string;
  subtitle: string | null;
  dateline: string | null;
  byline: string | null;
  source: string | null;
  excerpt: string | null;
  sectionId: string | null;
  heroImage: Record<string, unknown> | null;
  status: ArticleStatus;
  storedStatus: ArticleStatus;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  viewCount: number;
  contentHash: string | null;
  body?: Block[];
  bodyHtml?: string;
  bodyText?: string;
  /** Lists only: the keyset position of the row. */
  sortKey?: string;
  rank?: string;
}

export interface ArticleWriteRow {
  slug: string;
  externalId: string | null;
  title: string;
  subtitle: string | null;
  dateline: string | null;
  byline: string | null;
  source: string | null;
  excerpt: string | null;
  body: Block[];
  bodyHtml: string;
  bodyText: string;
  sectionId: string | null;
  heroImage: Record<string, unknown> | null;
  status: ArticleStatus;
  publishedAt: Date | null;
  contentHash: string;
}

export interface ListFilter {
  publicOnly: boolean;
  sectionIds?: string[];
  tag?: string;
  author?: string;
  q?: string;
  status?: ArticleStatus;
  limit: number;
  /** Keyset position: (sort key, id) or, with q, (rank, id). */
  after?: { key: string; id: string };
  withBody: boolean;
}

export type ArticleKey = { id: string } | { slug: string };

function keyClause(key: ArticleKey, param: string): string {
  return 'id' in key ? `a.id = ${param}` : `a.slug = ${param}`;
}
const keyValue = (key: ArticleKey) => ('id' in key ? key.id : key.slug);

@Injectable()
export class ArticleRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async findOne(
    key: ArticleKey,
    opts: { publicOnly: boolean; includeDeleted?: boolean; forUpdate?: boolean },
    manager?: EntityManager,
  ): Promise<ArticleRow | null> {
    const where = [keyClause(key, '$1')];
    if (opts.publicOnly) where.push(publicPredicate());
    else if (!opts.includeDeleted) where.push('a.deleted_at IS NULL');
    const rows: ArticleRow[] = await this.m(manager).query(
      `SELECT ${SUMMARY_COLUMNS}${BODY_COLUMNS} FROM articles a WHERE ${where.join(' AND ')}${
        opts.forUpdate ? ' FOR UPDATE' : ''
      }`,
      [keyValue(key)],
    );
    return rows[0] ?? null;
  }

  async findPublicId(key: ArticleKey): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT a.id FROM articles a WHERE ${keyClause(key, '$1')} AND ${publicPredicate()}`,
      [keyValue(key)],
    );
    return rows[0]?.id ?? null;
  }

  /** Summaries (or whole rows) by id in one query, in no particular order. */
  async findByIds(ids: string[], opts: { publicOnly: boolean; withBody?: boolean }): Promise<ArticleRow[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}${opts.withBody ? BODY_COLUMNS : ''} FROM articles a
        WHERE a.id = ANY($1::uuid[]) AND ${opts.publicOnly ? publicPredicate() : 'a.deleted_at IS NULL'}`,
      [ids],
    );
  }

  private filterSql(f: ListFilter, params: unknown[]): string[] {
    const where = [f.publicOnly ? publicPredicate() : 'a.deleted_at IS NULL'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.status === 'published')
      where.push(`a.status IN ('published', 'scheduled') AND a.published_at <= now()`);
    else if (f.status === 'scheduled') where.push(`a.status = 'scheduled' AND a.published_at > now()`);
    else if (f.status) where.push(`a.status = ${p(f.status)}`);
    if (f.sectionIds) {
      const ids = p(f.sectionIds);
      where.push(`(a.section_id = ANY(${ids}::uuid[]) OR EXISTS (SELECT 1 FROM article_sections s
        WHERE s.article_id = a.id AND s.section_id = ANY(${ids}::uuid[])))`);
    }
    if (f.tag)
      where.push(`EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = a.id AND t.slug = ${p(f.tag)})`);
    if (f.author) where.push(`a.byline ILIKE ${p(`%${f.author.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    if (f.q) where.push(`a.search @@ websearch_to_tsquery('english', ${p(f.q)})`);
    return where;
  }

  /** One page, newest first (or by relevance with q); one row more than asked tells of a next page. */
  async list(f: ListFilter): Promise<ArticleRow[]> {
    const params: unknown[] = [];
    const where = this.filterSql(f, params);
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    let order: string;
    let keyCol: string;
    if (f.q) {
      const rank = `ts_rank(a.search, websearch_to_tsquery('english', ${p(f.q)}))`;
      keyCol = `${rank}::text`;
      if (f.after) where.push(`(${rank}, a.id) < (${p(f.after.key)}::real, ${p(f.after.id)}::uuid)`);
      order = `${rank} DESC, a.id DESC`;
    } else {
      const sort = f.publicOnly ? 'a.published_at' : 'coalesce(a.published_at, a.created_at)';
      keyCol = ISO(sort);
      if (f.after) where.push(`(${sort}, a.id) < (${p(f.after.key)}::timestamptz, ${p(f.after.id)}::uuid)`);
      order = `${sort} DESC, a.id DESC`;
    }
    return this.dataSource.query(
      `SELECT ${SUMMARY_COLUMNS}${f.withBody ? BODY_COLUMNS : ''}, ${keyCol} AS "sortKey"
         FROM articles a WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(f.limit + 1)}`,
      params,
    );
  }

  async count(f: ListFilter): Promise<number> {
    const params: unknown[] = [];
    const where = this.filterSql(f, params);
    const rows: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM articles a WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows[0].n;
  }

  async tagsFor(ids: string[]): Promise<{ articleId: string; slug: string; name: string }[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT at.article_id AS "articleId", t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = ANY($1::uuid[]) ORDER BY at.article_id, at.position`,
      [ids],
    );
  }

  async sectionsFor(
    ids: string[],
    manager?: EntityManager,
  ): Promise<{ articleId: string; sectionId: string }[]> {
    if (!ids.length) return [];
    return this.m(manager).query(
      `SELECT article_id AS "articleId", section_id AS "sectionId" FROM article_sections
        WHERE article_id = ANY($1::uuid[]) ORDER BY article_id, position`,
      [ids],
    );
  }

  async reactionsFor(ids: string[]): Promise<{ articleId: string; type: string; count: number }[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT article_id AS "articleId", type, count::int AS count FROM article_reactions
        WHERE article_id = ANY($1::uuid[])`,
      [ids],
    );
  }

  async relatedFor(
    ids: string[],
    manager?: EntityManager,
  ): Promise<{ articleId: string; relatedId: string }[]> {
    if (!ids.length) return [];
    return this.m(manager).query(
      `SELECT article_id AS "articleId", related_id AS "relatedId" FROM article_related
        WHERE article_id = ANY($1::uuid[]) ORDER BY article_id, position`,
      [ids],
    );
  }

  async tagSlugsFor(manager: EntityManager, id: string): Promise<string[]> {
    const rows: { slug: string }[] = await manager.query(
      `SELECT t.slug FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = $1 ORDER BY at.position`,
      [id],
    );
    return rows.map((r) => r.slug);
  }

  /** Ids of articles named by id or slug (trash excluded). */
  async resolveKeys(manager: EntityManager, keys: string[]): Promise<{ id: string; slug: string }[]> {
    if (!keys.length) return [];
    return manager.query(
      `SELECT id, slug FROM articles WHERE deleted_at IS NULL AND (id::text = ANY($1::text[]) OR slug = ANY($1::text[]))`,
      [keys],
    );
  }

  /** Slugs already taken that `base` or `base-N` would clash with. */
  async slugsLike(manager: EntityManager, base: string): Promise<string[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`article-slug:${base}`]);
    const rows: { slug: string }[] = await manager.query(
      `SELECT slug FROM articles WHERE slug = $1 OR (slug LIKE $2 AND substr(slug, $3) ~ '^[0-9]+$')`,
      [base, `${base}-%`, base.length + 2],
    );
    return rows.map((r) => r.slug);
  }

  async insert(manager: EntityManager, row: ArticleWriteRow): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO articles (slug, external_id, title, subtitle, dateline, byline, source, excerpt, body,
         body_html, body_text, section_id, hero_image, status, published_at, content_hash)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9::jsonb,$10,$11,$12,$13::jsonb,$14,$15,$16) RETURNING id`,
      [
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
      ],
    );
    return rows[0].id;
  }

  async update(manager: EntityManager, id: string, row: ArticleWriteRow): Promise<void> {
    await manager.query(
      `UPDATE articles SET slug=$2, external_id=$3, title=$4, subtitle=$5, dateline=$6, byline=$7, source=$8,
         excerpt=$9, body=$10::jsonb, body_html=$11, body_text=$12, section_id=$13, hero_image=$14::jsonb,
         status=$15, published_at=$16, content_hash=$17, updated_at=now()
       WHERE id=$1`,
      [
        id,
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
      ],
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
      `UPDATE articles SET status=$2, published_at=$3, content_hash=$4, updated_at=now() WHERE id=$1`,
      [id, status, publishedAt, contentHash],
    );
  }

  async setDeleted(manager: EntityManager, id: string, deleted: boolean): Promise<void> {
    await manager.query(
      `UPDATE articles SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** Tags by slug, made on first use; returns their ids in the order given. */
  async ensureTags(manager: EntityManager, tags: { slug: string; name: string }[]): Promise<string[]> {
    if (!tags.length) return [];
    await manager.query(
      `INSERT INTO tags (slug, name) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (slug) DO NOTHING`,
      [tags.map((t) => t.slug), tags.map((t) => t.name)],
    );
    const rows: { id: string; slug: string }[] = await manager.query(
      `SELECT id, slug FROM tags WHERE slug = ANY($1::text[])`,
      [tags.map((t) => t.slug)],
    );
    const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
    return tags.map((t) => bySlug.get(t.slug) as string);
  }

  /** Replaces an ordered link list (tags, extra sections or related pins) of one article. */
  async setLinks(
    manager: EntityManager,
    table: 'article_tags' | 'article_sections' | 'article_related',
    articleId: string,
    ids: string[],
  ): Promise<void> {
    const column = { article_tags: 'tag_id', article_sections: 'section_id', article_related: 'related_id' }[
      table
    ];
    await manager.query(`DELETE FROM ${table} WHERE article_id = $1`, [articleId]);
    if (ids.length)
      await manager.query(
        `INSERT INTO ${table} (article_id, ${column}, position)
         SELECT $1, x.id, x.ord FROM unnest($2::uuid[]) WITH ORDINALITY AS x(id, ord)`,
        [articleId, ids],
      );
  }

  /** Import counts: applied when an article is created, never lowering a live count. */
  async raiseReactions(manager: EntityManager, articleId: string, counts: { type: string; count: number }[]) {
    if (!counts.length) return;
    await manager.query(
      `INSERT INTO article_reactions (article_id, type, count)
       SELECT $1, t, c FROM unnest($2::text[], $3::bigint[]) AS x(t, c)
       ON CONFLICT (article_id, type) DO UPDATE SET count = GREATEST(article_reactions.count, excluded.count)`,
      [articleId, counts.map((c) => c.type), counts.map((c) => c.count)],
    );
  }

  async insertRevision(manager: EntityManager, articleId: string, author: string | null, snapshot: unknown) {
    await manager.query(
      `INSERT INTO article_revisions (article_id, author, snapshot, created_at) VALUES ($1, $2, $3::jsonb, clock_timestamp())`,
      [articleId, author, JSON.stringify(snapshot)],
    );
  }

  async listRevisions(articleId: string): Promise<
    {
      id: string;
      articleId: string;
      createdAt: Date;
      author: string | null;
      snapshot: Record<string, unknown>;
    }[]
  > {
    return this.dataSource.query(
      `SELECT id, article_id AS "articleId", created_at AS "createdAt", author, snapshot FROM article_revisions
        WHERE article_id = $1 ORDER BY created_at DESC, id DESC`,
      [articleId],
    );
  }

  async findRevision(manager: EntityManager, articleId: string, revisionId: string) {
    const rows: { snapshot: Record<string, unknown> }[] = await manager.query(
      `SELECT snapshot FROM article_revisions WHERE article_id = $1 AND id = $2`,
      [articleId, revisionId],
    );
    return rows[0]?.snapshot ?? null;
  }

  async hasAny(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM articles LIMIT 1`);
    return rows.length > 0;
  }

  async countExternalIdsWithPrefix(prefix: string): Promise<{ externalIds: string[]; count: number }> {
    const rows: { external_id: string }[] = await this.dataSource.query(
      `SELECT external_id FROM articles WHERE external_id LIKE $1`,
      [`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    return { externalIds: rows.map((r) => r.external_id), count: rows.length };
  }

  /** Many generated articles in one statement (demo and benchmark data); returns their ids in order. */
  async insertMany(
    manager: EntityManager,
    rows: (ArticleWriteRow & { tagId: string | null })[],
  ): Promise<string[]> {
    if (!rows.length) return [];
    const col = <K extends keyof ArticleWriteRow>(k: K) => rows.map((r) => r[k]);
    const inserted: { id: string; ord: string }[] = await manager.query(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[], $13::text[], $14::timestamptz[], $15::text[])
           WITH ORDINALITY AS x(slug, external_id, title, subtitle, dateline, byline, source, excerpt, body,
             body_html, body_text, section_id, status, published_at, content_hash, ord)
       ), ins AS (
         INSERT INTO articles (slug, external_id, title, subtitle, dateline, byline, source, excerpt, body, body_html,
           body_text, section_id, status, published_at, content_hash)
         SELECT slug, external_id, title, subtitle, dateline, byline, source, excerpt, body::jsonb, body_html,
           body_text, section_id, status, published_at, content_hash FROM input ORDER BY ord
         RETURNING id, external_id
       )
       SELECT ins.id, input.ord FROM ins JOIN input USING (external_id) ORDER BY input.ord`,
      [
        col('slug'),
        col('externalId'),
        col('title'),
        col('subtitle'),
        col('dateline'),
        col('byline'),
        col('source'),
        col('excerpt'),
        rows.map((r) => JSON.stringify(r.body)),
        col('bodyHtml'),
        col('bodyText'),
        col('sectionId'),
        col('status'),
        col('publishedAt'),
        col('contentHash'),
      ],
    );
    const ids = inserted.map((r) => r.id);
    const tagged = rows.map((r, i) => ({ id: ids[i], tagId: r.tagId })).filter((r) => r.tagId);
    if (tagged.length)
      await manager.query(
        `INSERT INTO article_tags (article_id, tag_id, position) SELECT a, t, 1 FROM unnest($1::uuid[], $2::uuid[]) AS x(a, t)`,
        [tagged.map((r) => r.id), tagged.map((r) => r.tagId)],
      );
    return ids;
  }
}
