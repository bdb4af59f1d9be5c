import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSectionsAndApiKeys1795950000000 implements MigrationInterface {
  name = 'CreateSectionsAndApiKeys1795950000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug varchar(200) NOT NULL,
        name varchar(200) NOT NULL,
        description text,
        parent_id uuid REFERENCES sections(id) ON DELETE RESTRICT,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sections_slug_key UNIQUE (slug)
      )`);
    await q.query(`CREATE INDEX sections_parent_id_idx ON sections (parent_id)`);
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('editor', 'admin')),
        prefix varchar(32) NOT NULL,
        key_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT api_keys_prefix_key UNIQUE (prefix)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE sections`);
  }
}
