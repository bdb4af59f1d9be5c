import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a fetched picture came from: an import with fetchMedia=true brings each remote picture
 * into the library once, and finds it again by this URL on the next import of the same feed.
 */
export class MediaSourceUrl1796330000000 implements MigrationInterface {
  name = 'MediaSourceUrl1796330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE media ADD COLUMN source_url text`);
    await q.query(`CREATE INDEX media_source_url_idx ON media (source_url) WHERE source_url IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE media DROP COLUMN source_url`);
  }
}
