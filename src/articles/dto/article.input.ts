import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { CheckedBy } from '../../common/http/validation';
import { ARTICLE_LIMITS as L } from '../article-limits';
import { articleInputSchema, checkArticleInput } from '../article-schema';
import { ARTICLE_STATUSES, ArticleStatusEnum, type ArticleStatus } from '../article-status';
import { BLOCK_FIELD_RULES, BLOCK_TYPES } from '../body/blocks';

/** The description of a block input field, for GraphQL and OpenAPI: where it applies, its rule. */
const rule = (types: string, kind: keyof typeof BLOCK_FIELD_RULES) =>
  kind === 'url'
    ? `${types}. ${BLOCK_FIELD_RULES.url}`
    : `${types}. Read as HTML and stored as: ${BLOCK_FIELD_RULES[kind]}`;
const described = (description: string) => ({ nullable: true, description }) as const;

@InputType({
  description:
    'One body block; which fields apply depends on `type`. Text fields are taken as HTML and cleaned by their ' +
    'rule (the same as in the answer); a url must be an absolute http(s) URL.',
})
export class BlockInput {
  @Field() @ApiProperty({ enum: BLOCK_TYPES }) type!: string;
  @Field(described(rule('paragraph, heading, quote', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('paragraph, heading, quote', 'inlineHtml') })
  text?: string;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional()
  level?: number;
  @Field(described(rule('quote', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('quote', 'inlineHtml') })
  cite?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() ordered?: boolean;
  @Field(() => [String], described(rule('list, each item', 'inlineHtml')))
  @ApiPropertyOptional({ type: [String], description: rule('list, each item', 'inlineHtml') })
  items?: string[];
  @Field(described(rule('image, embed', 'url')))
  @ApiPropertyOptional({ description: rule('image, embed', 'url') })
  url?: string;
  @Field(described(rule('image', 'text')))
  @ApiPropertyOptional({ description: rule('image', 'text') })
  alt?: string;
  @Field(described(rule('image', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('image', 'inlineHtml') })
  caption?: string;
  @Field(described(rule('image', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('image', 'inlineHtml') })
  credit?: string;
  @Field(described(rule('embed', 'text')))
  @ApiPropertyOptional({ description: rule('embed', 'text') })
  provider?: string;
}

@InputType()
export class HeroImageInput {
  @Field(() => String, { nullable: true, description: 'A picture by URL; or give media.' })
  @ApiPropertyOptional({ description: 'A picture by URL; or give media.' })
  url?: string;
  @Field(() => ID, {
    nullable: true,
    description: "A picture of the media library, by id: its URL, size and credit follow the library's.",
  })
  @ApiPropertyOptional({
    format: 'uuid',
    description: "A picture of the media library, by id: its URL, size and credit follow the library's.",
  })
  media?: string;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  alt?: string | null;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  caption?: string | null;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  credit?: string | null;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1 })
  width?: number | null;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1 })
  height?: number | null;
}

/**
 * The writable fields of an article (POST, PATCH, GraphQL create/update). On create `title` is
 * required; on update every field is optional and only those given change. This class is the
 * documented shape; the rules are the one article schema's (article-schema.ts), which imports
 * use too, so every transport refuses the same input with the same field errors.
 */
@InputType()
@CheckedBy((value) => checkArticleInput(articleInputSchema, value))
export class ArticleInput {
  @Field({ nullable: true, description: 'Made from the title when omitted.' })
  @ApiPropertyOptional({ maxLength: L.slug })
  slug?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: L.externalId })
  externalId?: string | null;

  @Field({ nullable: true, description: 'Required when creating.' })
  @ApiPropertyOptional({ maxLength: L.title })
  title?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  subtitle?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'SEOUL, South Korea' })
  dateline?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  byline?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'AP' })
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to the start of the first paragraph.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  excerpt?: string | null;

  @Field(() => [BlockInput], { nullable: true })
  @ApiPropertyOptional({ type: [BlockInput] })
  body?: BlockInput[];

  @Field({ nullable: true, description: 'Sanitised, then turned into blocks.' })
  @ApiPropertyOptional()
  bodyHtml?: string;

  @Field({ nullable: true, description: 'Paragraphs split on blank lines.' })
  @ApiPropertyOptional()
  bodyText?: string;

  @Field(() => String, { nullable: true, description: "The primary section's slug." })
  @ApiPropertyOptional({ type: String, nullable: true })
  section?: string | null;

  @Field(() => [String], { nullable: true, description: 'Extra sections by slug, in order.' })
  @ApiPropertyOptional({ type: [String] })
  sections?: string[];

  @Field(() => [String], { nullable: true, description: 'Tag slugs; a tag is made on first use.' })
  @ApiPropertyOptional({ type: [String] })
  tags?: string[];

  @Field(() => HeroImageInput, { nullable: true })
  @ApiPropertyOptional({ type: HeroImageInput, nullable: true })
  heroImage?: HeroImageInput | null;

  @Field(() => ArticleStatusEnum, { nullable: true })
  @ApiPropertyOptional({ enum: ARTICLE_STATUSES })
  status?: ArticleStatus;

  @Field(() => String, { nullable: true, description: 'ISO-8601; a future time with `published` schedules.' })
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  publishedAt?: string | null;

  @Field(() => [String], { nullable: true, description: 'Editor pins, by id or slug.' })
  @ApiPropertyOptional({ type: [String] })
  relatedArticles?: string[];
}

export class PublishInput {
  @ApiPropertyOptional({ format: 'date-time', description: 'A future time schedules; default now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'publishedAt must be an ISO-8601 time' })
  publishedAt?: string;
}
