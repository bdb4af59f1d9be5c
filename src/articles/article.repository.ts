import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MAX_COUNT } from '../common/graphql/limits';
import type { KeysetPosition } from '../common/pagination/cursor';
import { Clock } from '../common/clock/clock';
import { ReadRouting, type Queryable } from '../database/read-routing';
import type { ARTICLE_TEXT_FIELDS, ArticleSnapshot } from './article-input';
import type { ArticleStatus } from './article-status';
import type { Block } from './body/blocks';

/**
 * The one definition of "the public may see this article": live, published or scheduled, and its
 * time has come (scheduling needs no cron job). The webhook rule (article-events.ts) reads the
 * same three facts from a row in memory. `now` is the query parameter (`$n`) holding the Clock's
 * time, never PostgreSQL's now(): a test that moves its clock sees a schedule come due.
 */
export function publicPredicate(now: string, a = 'a'): string {
  return `${a}.deleted_at IS NULL AND ${a}.status IN ('published', 'scheduled') AND ${a}.published_at <= ${now}::timestamptz`;
}

/** Promised to the public but not yet public: scheduled (or published) for a later time. */
export function comingPredicate(now: string, a = 'a'): string {
  return `${a}.deleted_at IS NULL AND ${a}.status IN ('published', 'scheduled') AND ${a}.published_at > ${now}::timestamptz`;
}

/** The status reads show: a scheduled article whose time has come reads as published. */
export function effectiveStatus(now: string, a = 'a'): string {
  return `CASE WHEN ${a}.status = 'scheduled' AND ${a}.published_at <= ${now}::timestamptz THEN 'published' ELSE ${a}.status END`;
}
/** A bigint counter as the API's Int: a larger stored value reads as MAX_COUNT, never as an error. */
export const countAsInt = (column: string) => `LEAST(${column}, ${MAX_COUNT})::int`;
const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The stored hero image; one from the media library (`{ media: id, … }`) carries the picture's
 * current fields under `source` (null once the media is gone), so its URL, size and credit follow
 * the library (see heroImageOf in the reader).
 */
const HERO_IMAGE = `CASE WHEN a.hero_image ? 'media' THEN a.hero_image || jsonb_build_object('source', (
    SELECT jsonb_build_object('id', m.id, 'contentHash', m.content_hash, 'width', m.width, 'height', m.height,
             'focalX', m.focal_x, 'focalY', m.focal_y, 'alt', m.alt, 'caption', m.caption, 'credit', m.credit)
      FROM media m WHERE m.id = (a.hero_image->>'media')::uuid))
  ELSE a.hero_image END`;

const summaryColumns = (now: string) => `a.id, a.slug, a.external_id AS "externalId", a.title, a.subtitle,
  a.dateline, a.byline, a.source, a.excerpt, a.section_id AS "sectionId", ${HERO_IMAGE} AS "heroImage",
  ${effectiveStatus(now)} AS status,
  a.status AS "storedStatus", a.published_at AS "publishedAt", a.created_at AS "createdAt",
  a.updated_at AS "updatedAt", a.deleted_at AS "deletedAt", ${countAsInt('a.view_count')} AS "viewCount",
  a.content_hash AS "contentHash", a.version`;
const BODY_COLUMNS = `, a.body, a.body_html AS "bodyHtml", a.body_text AS "bodyText"`;

/** The text fields a stored article shares with its snapshot. */
export type ArticleTextFields = Pick<ArticleSnapshot, (typeof ARTICLE_TEXT_FIELDS)[number]>;

export interface ArticleRow extends ArticleTextFields {
  id: string;
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
  version: number;
  body?: Block[];
  bodyHtml?: string;
  bodyText?: string;
  /** Lists only: the keyset position of the row. */
  sortKey?: string;
  rank?: string;
}

/** A stored article's own columns, as every write gives them (ArticleStore names the columns). */
export type ArticleWriteRow = ArticleTextFields &
  Pick<ArticleSnapshot, 'body' | 'status'> & {
    bodyHtml: string;
    bodyText: string;
    sectionId: string | null;
    heroImage: Record<string, unknown> | null;
    publishedAt: Date | null;
    contentHash: string;
  };

export interface ListFilter {
  publicOnly: boolean;
  sectionIds?: string[];
  tag?: string;
  author?: string;
  q?: string;
  status?: ArticleStatus;
  limit: number;
  /**
   * Keyset bounds, by (sort key, id) or, with q, (rank, id): only rows after `after` and before
   * `before` in the list's order.
   */
  after?: KeysetPosition;
  before?: KeysetPosition;
  /** Read the last `limit` rows of the range (those nearest `before`) instead of the first. */
  backward?: boolean;
  withBody: boolean;
}

/** One page of a list, in the list's order, and whether more rows lie past it on the side it was read toward. */
export interface ListPage {
  rows: ArticleRow[];
  more: boolean;
}

export interface RevisionRow {
  id: string;
  articleId: string;
  createdAt: Date;
  author: string | null;
  snapshot: Record<string, unknown>;
}

export type ArticleKey = { id: string } | { slug: string };

function keyClause(key: ArticleKey, param: string): string {
  return 'id' in key ? `a.id = ${param}` : `a.slug = ${param}`;
}
const keyValue = (key: ArticleKey) => ('id' in key ? key.id : key.slug);

@Injectable()
export class ArticleRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly routing: ReadRouting,
    private readonly clock: Clock,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** Public reads outside a transaction may go to a replica (DATABASE_REPLICA_URLS). */
  private reads(publicOnly: boolean, manager?: EntityManager): Queryable {
    return manager ?? this.routing.forRead(publicOnly);
  }

  async findOne(
    key: ArticleKey,
    opts: { publicOnly: boolean; includeDeleted?: boolean; forUpdate?: boolean; fromPrimary?: boolean },
    manager?: EntityManager,
  ): Promise<ArticleRow | null> {
    const where = [keyClause(key, '$1')];
    if (opts.publicOnly) where.push(publicPredicate('$2'));
    else if (!opts.includeDeleted) where.push('a.deleted_at IS NULL');
    const rows: ArticleRow[] = await this.reads(opts.publicOnly && !opts.fromPrimary, manager).query(
      `SELECT ${summaryColumns('$2')}${BODY_COLUMNS} FROM articles a WHERE ${where.join(' AND ')}${
        opts.forUpdate ? ' FOR UPDATE' : ''
      }`,
      [keyValue(key), this.clock.date()],
    );
    return rows[0] ?? null;
  }

  async findPublicId(key: ArticleKey): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT a.id FROM articles a WHERE ${keyClause(key, '$1')} AND ${publicPredicate('$2')}`,
      [keyValue(key), this.clock.date()],
    );
    return rows[0]?.id ?? null;
  }

  /** Summaries (or whole rows) by id in one query, in no particular order. */
  async findByIds(ids: string[], opts: { publicOnly: boolean; withBody?: boolean }): Promise<ArticleRow[]> {
    if (!ids.length) return [];
    return this.reads(opts.publicOnly).query(
      `SELECT ${summaryColumns('$2')}${opts.withBody ? BODY_COLUMNS : ''} FROM articles a
        WHERE a.id = ANY($1::uuid[]) AND ${opts.publicOnly ? publicPredicate('$2') : 'a.deleted_at IS NULL'}`,
      [ids, this.clock.date()],
    );
  }

  /** The list's conditions; `now` is the parameter holding the Clock's time. */
  /**
   * The Clock's time as a parameter, added the first time a predicate asks for it: a statement
   * whose filter never needs it (an editor's count) must not carry a parameter it does not use,
   * which PostgreSQL cannot type.
   */
  private nowParam(params: unknown[]): () => string {
    let ref: string | undefined;
    return () => {
      if (!ref) {
        params.push(this.clock.date());
        ref = `$${params.length}`;
      }
      return ref;
    };
  }

  private filterSql(f: ListFilter, params: unknown[], now: () => string): string[] {
    const where = [f.publicOnly ? publicPredicate(now()) : 'a.deleted_at IS NULL'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.status === 'published') where.push(publicPredicate(now()));
    else if (f.status === 'scheduled')
      where.push(`a.status = 'scheduled' AND NOT (${publicPredicate(now())})`);
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

  /**
   * What a list is ordered by: newest first (publication time, or creation time for editors'
   * drafts), or with q the full-text rank; the id breaks ties either way. `key` is the sort value
   * as cursors carry it, `cast` the type it is read back as.
   */
  private ordering(f: ListFilter, p: (v: unknown) => string): { sort: string; key: string; cast: string } {
    if (f.q) {
      const rank = `ts_rank(a.search, websearch_to_tsquery('english', ${p(f.q)}))`;
      return { sort: rank, key: `${rank}::text`, cast: 'real' };
    }
    const sort = f.publicOnly ? 'a.published_at' : 'coalesce(a.published_at, a.created_at)';
    return { sort, key: ISO(sort), cast: 'timestamptz' };
  }

  /**
   * One page by keyset: the first `limit` rows after `after` (and before `before`), or backward
   * the last `limit` rows before `before` (and after `after`). Backward reads the index the other
   * way round (ascending, nearest `before` first) and turns the rows back into the list's order.
   * One row more than asked tells whether more lie beyond.
   */
  async list(f: ListFilter): Promise<ListPage> {
    const params: unknown[] = [this.clock.date()];
    const where = this.filterSql(f, params, () => '$1');
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const { sort, key, cast } = this.ordering(f, p);
    const at = (pos: KeysetPosition) => `(${p(pos.key)}::${cast}, ${p(pos.id)}::uuid)`;
    // The list runs from the highest (sort, id) down: "after" a position is below it.
    if (f.after) where.push(`(${sort}, a.id) < ${at(f.after)}`);
    if (f.before) where.push(`(${sort}, a.id) > ${at(f.before)}`);
    const direction = f.backward ? 'ASC' : 'DESC';
    const rows: ArticleRow[] = await this.reads(f.publicOnly).query(
      `SELECT ${summaryColumns('$1')}${f.withBody ? BODY_COLUMNS : ''}, ${key} AS "sortKey"
         FROM articles a WHERE ${where.join(' AND ')}
        ORDER BY ${sort} ${direction}, a.id ${direction} LIMIT ${p(f.limit + 1)}`,
      params,
    );
    const more = rows.length > f.limit;
    const page = rows.slice(0, f.limit);
    return { rows: f.backward ? page.reverse() : page, more };
  }

  /**
   * Whether the list (its filter, whatever its bounds) has a row at `position` or beyond it on
   * `side`, in the list's order: the other end of a page, for Relay's hasPreviousPage after a
   * cursor and hasNextPage before one.
   */
  async hasRowFrom(f: ListFilter, position: KeysetPosition, side: 'before' | 'after'): Promise<boolean> {
    const params: unknown[] = [];
    const where = this.filterSql(f, params, this.nowParam(params));
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const { sort, cast } = this.ordering(f, p);
    const toward = side === 'before' ? { op: '>=', dir: 'ASC' } : { op: '<=', dir: 'DESC' };
    where.push(`(${sort}, a.id) ${toward.op} (${p(position.key)}::${cast}, ${p(position.id)}::uuid)`);
    // Ordered from the position outward, so the list's index is read from there and stops at
    // the first row (a bare EXISTS may be planned as a scan of the table).
    const rows: unknown[] = await this.reads(f.publicOnly).query(
      `SELECT 1 FROM articles a WHERE ${where.join(' AND ')}
        ORDER BY ${sort} ${toward.dir}, a.id ${toward.dir} LIMIT 1`,
      params,
    );
    return rows.length > 0;
  }

  async count(f: ListFilter): Promise<number> {
    const params: unknown[] = [];
    const where = this.filterSql(f, params, this.nowParam(params));
    const rows: { n: number }[] = await this.reads(f.publicOnly).query(
      `SELECT count(*)::int AS n FROM articles a WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows[0].n;
  }

  /** Bodies by id, for GraphQL fields asked of articles read without them (lists, related). */
  async bodiesFor(
    ids: string[],
  ): Promise<{ id: string; body: Block[]; bodyHtml: string; bodyText: string }[]> {
    if (!ids.length) return [];
    return this.dataSource.query(
      `SELECT a.id, a.body, a.body_html AS "bodyHtml", a.body_text AS "bodyText" FROM articles a
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
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
      `SELECT article_id AS "articleId", type, ${countAsInt('count')} AS count FROM article_reactions
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

  /**
   * Every article this one pins, public or not, with the time a pin scheduled for later becomes
   * public (null for the others). Cached answers show only the public pins but depend on all of
   * them. From the primary, like the cache fills that call it.
   */
  async pinsOf(articleId: string): Promise<{ id: string; publicAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT r.related_id AS id,
              CASE WHEN ${comingPredicate('$2')} THEN a.published_at END AS "publicAt"
         FROM article_related r JOIN articles a ON a.id = r.related_id
        WHERE r.article_id = $1`,
      [articleId, this.clock.date()],
    );
  }

  /** The revisions of these articles, each article's newest first. */
  async listRevisions(articleIds: string[]): Promise<RevisionRow[]> {
    if (!articleIds.length) return [];
    return this.dataSource.query(
      `SELECT id, article_id AS "articleId", created_at AS "createdAt", author, snapshot FROM article_revisions
        WHERE article_id = ANY($1::uuid[]) ORDER BY article_id, created_at DESC, id DESC`,
      [articleIds],
    );
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
}
