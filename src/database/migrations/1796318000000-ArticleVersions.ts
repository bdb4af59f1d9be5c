import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every article has a version: 1 when created, one more with each stored change. Editors send it
 * back in If-Match (GraphQL expectedVersion) so a save made over someone else's is refused.
 */
export class ArticleVersions1796318000000 implements MigrationInterface {
  name = 'ArticleVersions1796318000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE articles ADD COLUMN version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE articles DROP COLUMN version`);
  }
}
