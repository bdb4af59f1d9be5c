import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Edit leases (one holder per article, until a time; renewing moves the time) and preview links
 * (a token's SHA-256 only: the token itself is shown once, to whoever made the link).
 */
export class EditLeasesAndPreviewLinks1796302000000 implements MigrationInterface {
  name = 'EditLeasesAndPreviewLinks1796302000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE article_leases (
        article_id uuid PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        holder_id text NOT NULL,
        holder_name text NOT NULL,
        until timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE preview_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX preview_links_article_idx ON preview_links (article_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE preview_links`);
    await q.query(`DROP TABLE article_leases`);
  }
}
