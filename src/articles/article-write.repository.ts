import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ArticleStatus } from './article-status';
import { articleRowValues, type ArticleWriteRow } from './article.repository';

/** Every write to the articles tables; each method runs inside the caller's transaction. */
@Injectable()
export class ArticleWriteRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
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
      articleRowValues(row),
    );
    return rows[0].id;
  }

  async update(manager: EntityManager, id: string, row: ArticleWriteRow): Promise<void> {
    await manager.query(
      `UPDATE articles SET slug=$2, external_id=$3, title=$4, subtitle=$5, dateline=$6, byline=$7, source=$8,
         excerpt=$9, body=$10::jsonb, body_html=$11, body_text=$12, section_id=$13, hero_image=$14::jsonb,
         status=$15, published_at=$16, content_hash=$17, updated_at=now()
       WHERE id=$1`,
      [id, ...articleRowValues(row)],
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

  async findRevision(manager: EntityManager, articleId: string, revisionId: string) {
    const rows: { snapshot: Record<string, unknown> }[] = await manager.query(
      `SELECT snapshot FROM article_revisions WHERE article_id = $1 AND id = $2`,
      [articleId, revisionId],
    );
    return rows[0]?.snapshot ?? null;
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

  /** The live (not trashed) article with this externalId, locked for the rest of the transaction. */
  async findIdByExternalId(manager: EntityManager, externalId: string): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM articles WHERE external_id = $1 AND deleted_at IS NULL FOR UPDATE`,
      [externalId],
    );
    return rows[0]?.id ?? null;
  }
}
