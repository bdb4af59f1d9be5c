import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The `articles` table. The repository speaks SQL for lists and bulk writes (entity hydration is
 * the slow part of a read); this mapping documents the table and serves simple lookups.
 */
@Entity('articles')
export class ArticleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 200 }) slug!: string;
  @Column({ name: 'external_id', type: 'varchar', length: 512, nullable: true }) externalId!: string | null;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text', nullable: true }) subtitle!: string | null;
  @Column({ type: 'text', nullable: true }) dateline!: string | null;
  @Column({ type: 'text', nullable: true }) byline!: string | null;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ type: 'text', nullable: true }) excerpt!: string | null;
  @Column({ type: 'jsonb' }) body!: unknown;
  @Column({ name: 'body_html', type: 'text' }) bodyHtml!: string;
  @Column({ name: 'body_text', type: 'text' }) bodyText!: string;
  @Column({ name: 'section_id', type: 'uuid', nullable: true }) sectionId!: string | null;
  @Column({ name: 'hero_image', type: 'jsonb', nullable: true }) heroImage!: unknown;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true }) deletedAt!: Date | null;
  @Column({ name: 'content_hash', type: 'text', nullable: true }) contentHash!: string | null;
  @Column({ name: 'view_count', type: 'bigint' }) viewCount!: string;
}

@Entity('tags')
export class TagEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 200 }) slug!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
}
