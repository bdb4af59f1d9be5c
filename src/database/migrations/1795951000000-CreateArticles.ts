import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateArticles1795951000000 implements MigrationInterface {
  name = 'CreateArticles1795951000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE articles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(200) NOT NULL,
        external_id varchar(512),
        title text NOT NULL,
        subtitle text,
        dateline text,
        byline text,
        source text,
        excerpt text,
        body jsonb NOT NULL DEFAULT '[]'::jsonb,
        body_html text NOT NULL DEFAULT '',
        body_text text NOT NULL DEFAULT '',
        section_id uuid REFERENCES sections(id) ON DELETE RESTRICT,
        hero_image jsonb,
        status varchar(16) NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
        published_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        content_hash text,
        view_count bigint NOT NULL DEFAULT 0,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(subtitle, '') || ' ' || coalesce(excerpt, '')), 'B') ||
          setweight(to_tsvector('english', coalesce(body_text, '')), 'C')
        ) STORED,
        CONSTRAINT articles_slug_key UNIQUE (slug),
        CONSTRAINT articles_external_id_key UNIQUE (external_id)
      )`);
    await q.query(`CREATE INDEX articles_published_idx ON articles (published_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX articles_newest_idx ON articles ((coalesce(published_at, created_at)) DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX articles_section_idx ON articles (section_id, published_at DESC)`);
    await q.query(`CREATE INDEX articles_search_idx ON articles USING gin (search)`);
    await q.query(`CREATE INDEX articles_updated_idx ON articles (updated_at)`);
    await q.query(`
      CREATE TABLE article_sections (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES sections(id) ON DELETE RESTRICT,
        position int NOT NULL,
        PRIMARY KEY (article_id, section_id)
      )`);
    await q.query(`CREATE INDEX article_sections_section_idx ON article_sections (section_id)`);
    await q.query(`
      CREATE TABLE tags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(200) NOT NULL,
        name varchar(200) NOT NULL,
        CONSTRAINT tags_slug_key UNIQUE (slug)
      )`);
    await q.query(`
      CREATE TABLE article_tags (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag_id uuid NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        position int NOT NULL,
        PRIMARY KEY (article_id, tag_id)
      )`);
    await q.query(`CREATE INDEX article_tags_tag_idx ON article_tags (tag_id)`);
    await q.query(`
      CREATE TABLE article_related (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        related_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position int NOT NULL,
        PRIMARY KEY (article_id, related_id)
      )`);
    await q.query(`
      CREATE TABLE article_revisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        author varchar(200),
        snapshot jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX article_revisions_article_idx ON article_revisions (article_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE article_reactions (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
        PRIMARY KEY (article_id, type)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'article_reactions',
      'article_revisions',
      'article_related',
      'article_tags',
      'tags',
      'article_sections',
      'articles',
    ])
      await q.query(`DROP TABLE ${t}`);
  }
}
