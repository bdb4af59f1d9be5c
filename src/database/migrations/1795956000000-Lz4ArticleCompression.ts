import { MigrationInterface, QueryRunner } from 'typeorm';

/** The large article columns, compressed when stored (TOAST). */
const COLUMNS: [table: string, column: string][] = [
  ['articles', 'body'],
  ['articles', 'body_html'],
  ['articles', 'body_text'],
  ['articles', 'search'],
  ['article_revisions', 'snapshot'],
];

/**
 * The large article columns are compressed with lz4 instead of the default pglz: several times
 * cheaper to compress (a good part of an import's database time) and to read back. Only values
 * written from now on use it; both stay readable. A server built without lz4 (the embedded
 * database) keeps pglz.
 */
export class Lz4ArticleCompression1795956000000 implements MigrationInterface {
  name = 'Lz4ArticleCompression1795956000000';

  async up(q: QueryRunner): Promise<void> {
    const rows = (await q.query(
      `SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    )) as { lz4: boolean }[];
    const lz4 = rows[0]?.lz4 === true;
    if (lz4) await setCompression(q, 'lz4');
  }

  async down(q: QueryRunner): Promise<void> {
    await setCompression(q, 'default');
  }
}

async function setCompression(q: QueryRunner, method: 'lz4' | 'default'): Promise<void> {
  for (const [table, column] of COLUMNS)
    await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION ${method}`);
}
