import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per stored change (who, what, which request), written in the change's
 * own transaction. It is append-only for everyone who connects, the table's owner and superusers
 * included: a trigger refuses every UPDATE, every TRUNCATE, and every DELETE of a row younger than
 * the retention (audit_policy, set from AUDIT_RETENTION_DAYS at start-up), so pruning old rows is
 * the only delete. The triggers fire ALWAYS, also with session_replication_role = replica, which
 * would otherwise switch ordinary triggers off.
 */
export class CreateAuditLog1796300000000 implements MigrationInterface {
  name = 'CreateAuditLog1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type varchar(16) NOT NULL,
        actor_id text,
        actor_name text NOT NULL,
        actor_role varchar(16),
        action varchar(64) NOT NULL,
        entity_type varchar(32) NOT NULL,
        entity_id text NOT NULL,
        request_id text,
        summary jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC)`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`
      CREATE TABLE audit_policy (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days >= 1)
      )`);
    await q.query(`INSERT INTO audit_policy DEFAULT VALUES`);
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          RAISE EXCEPTION 'audit_log is append-only: a row is never updated'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'TRUNCATE' THEN
          RAISE EXCEPTION 'audit_log is append-only: it is never truncated'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.at > now() - make_interval(days => (SELECT retention_days FROM audit_policy)) THEN
          RAISE EXCEPTION 'audit_log is append-only: a row younger than the retention is never deleted'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_append_only`);
    await q.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE audit_policy`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
