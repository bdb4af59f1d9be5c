import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reader signals. article_reactions (the live counts) came with the articles; these tables hold
 * who reacted (to count a client once), and reactions and views per article per hour (what
 * rankings read), and which articles a client viewed (what recommendations read).
 */
export class CreateReactionsAndViews1795953000000 implements MigrationInterface {
  name = 'CreateReactionsAndViews1795953000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reaction_clients (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        type varchar(32) NOT NULL,
        client_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (article_id, type, client_hash)
      )`);
    await q.query(`
      CREATE TABLE article_reactions_hourly (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        reactions bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, hour)
      )`);
    await q.query(
      `CREATE INDEX article_reactions_hourly_hour_idx ON article_reactions_hourly (hour, article_id) INCLUDE (reactions)`,
    );
    await q.query(`
      CREATE TABLE article_views_hourly (
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        views bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, hour)
      )`);
    await q.query(
      `CREATE INDEX article_views_hourly_hour_idx ON article_views_hourly (hour, article_id) INCLUDE (views)`,
    );
    await q.query(`
      CREATE TABLE client_views (
        client_hash bytea NOT NULL,
        article_id uuid NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        viewed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_hash, article_id)
      )`);
    await q.query(`CREATE INDEX client_views_article_idx ON client_views (article_id, client_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE client_views`);
    await q.query(`DROP TABLE article_views_hourly`);
    await q.query(`DROP TABLE article_reactions_hourly`);
    await q.query(`DROP TABLE reaction_clients`);
  }
}
