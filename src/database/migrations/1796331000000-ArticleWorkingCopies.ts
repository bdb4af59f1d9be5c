import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Working copies: the pending changes to an article (as PATCH fields, merged), kept apart from the
 * article itself until `publish` makes them live. One per article, with its own version.
 */
export class ArticleWorkingCopies1796331000000 implements MigrationInterface {
  name = 'ArticleWorkingCopies1796331000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE article_working_copies (
        article_id uuid PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        fields jsonb NOT NULL,
        version integer NOT NULL DEFAULT 1,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE article_working_copies`);
  }
}
