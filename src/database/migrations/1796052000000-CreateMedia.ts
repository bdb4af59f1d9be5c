import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The media library (issue 20): one row per picture, its bytes in the media store (local
 * directory or S3). Only public metadata is kept here: the GPS position and camera serials of a
 * photo are never read into a column.
 */
export class CreateMedia1796052000000 implements MigrationInterface {
  name = 'CreateMedia1796052000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE media (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL DEFAULT 'image',
        mime_type text NOT NULL,
        width integer NOT NULL CHECK (width > 0),
        height integer NOT NULL CHECK (height > 0),
        bytes bigint NOT NULL CHECK (bytes > 0),
        content_hash text NOT NULL,
        alt text NOT NULL DEFAULT '',
        caption text,
        credit text,
        copyright text,
        focal_x double precision NOT NULL DEFAULT 0.5 CHECK (focal_x BETWEEN 0 AND 1),
        focal_y double precision NOT NULL DEFAULT 0.5 CHECK (focal_y BETWEEN 0 AND 1),
        taken_at timestamptz,
        placeholder text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // The library lists newest first, page by page from a keyset cursor.
    await q.query(`CREATE INDEX media_created_idx ON media (created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE media`);
  }
}
