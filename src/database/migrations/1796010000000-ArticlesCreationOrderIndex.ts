import { MigrationInterface, QueryRunner } from 'typeorm';

/** Exports list articles oldest first (createdAt, then slug), page by page from a keyset cursor. */
export class ArticlesCreationOrderIndex1796010000000 implements MigrationInterface {
  name = 'ArticlesCreationOrderIndex1796010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX articles_creation_order_idx ON articles (created_at, slug) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX articles_creation_order_idx`);
  }
}
