import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Curated rankings (editors' ordered lists of articles), and the indexes the computed lists need:
 * recent views of a client (recommendations read a client's latest views first).
 */
export class CreateCuratedRankings1795955000000 implements MigrationInterface {
  name = 'CreateCuratedRankings1795955000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE curated_rankings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(200) NOT NULL,
        title varchar(300) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT curated_rankings_slug_key UNIQUE (slug)
      )`);
    await q.query(`
      CREATE TABLE curated_ranking_items (
        ranking_id uuid NOT NULL REFERENCES curated_rankings(id) ON DELETE CASCADE,
        position int NOT NULL,
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (ranking_id, position)
      )`);
    await q.query(`CREATE INDEX curated_ranking_items_article_idx ON curated_ranking_items (article_id)`);
    await q.query(
      `CREATE INDEX client_views_recent_idx ON client_views (client_hash, viewed_at DESC) INCLUDE (article_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX client_views_recent_idx`);
    await q.query(`DROP TABLE curated_ranking_items`);
    await q.query(`DROP TABLE curated_rankings`);
  }
}
