import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys may have the contributor role: drafts and working copies, nothing that goes live. */
export class ContributorRole1796301000000 implements MigrationInterface {
  name = 'ContributorRole1796301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(
      `ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('contributor', 'editor', 'admin'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A contributor key cannot exist below this migration: it is revoked rather than promoted.
    await q.query(
      `UPDATE api_keys SET role = 'editor', revoked_at = coalesce(revoked_at, now()) WHERE role = 'contributor'`,
    );
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(
      `ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('editor', 'admin'))`,
    );
  }
}
