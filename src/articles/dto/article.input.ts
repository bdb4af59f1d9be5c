import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmpty,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLUG_PATTERN } from '../../common/http/id-or-slug.pipe';
import { ARTICLE_LIMITS as L, tooLong, tooMany } from '../article-limits';
import { BLOCK_FIELD_RULES, BLOCK_TYPES } from '../body/blocks';
import { ARTICLE_STATUSES, ArticleStatusEnum, type ArticleStatus } from '../article-status';

const SLUG_MESSAGE = 'must be lower-case letters, digits and single hyphens';

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
  @Field() @ApiProperty({ enum: BLOCK_TYPES }) @IsIn(BLOCK_TYPES) type!: string;
  @Field(described(rule('paragraph, heading, quote', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('paragraph, heading, quote', 'inlineHtml') })
  @IsOptional()
  @IsString()
  text?: string;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(4)
  level?: number;
  @Field(described(rule('quote', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('quote', 'inlineHtml') })
  @IsOptional()
  @IsString()
  cite?: string;
  @Field({ nullable: true }) @ApiPropertyOptional() @IsOptional() @IsBoolean() ordered?: boolean;
  @Field(() => [String], described(rule('list, each item', 'inlineHtml')))
  @ApiPropertyOptional({ type: [String], description: rule('list, each item', 'inlineHtml') })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  items?: string[];
  @Field(described(rule('image, embed', 'url')))
  @ApiPropertyOptional({ description: rule('image, embed', 'url') })
  @IsOptional()
  @IsString()
  url?: string;
  @Field(described(rule('image', 'text')))
  @ApiPropertyOptional({ description: rule('image', 'text') })
  @IsOptional()
  @IsString()
  alt?: string;
  @Field(described(rule('image', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('image', 'inlineHtml') })
  @IsOptional()
  @IsString()
  caption?: string;
  @Field(described(rule('image', 'inlineHtml')))
  @ApiPropertyOptional({ description: rule('image', 'inlineHtml') })
  @IsOptional()
  @IsString()
  credit?: string;
  @Field(described(rule('embed', 'text')))
  @ApiPropertyOptional({ description: rule('embed', 'text') })
  @IsOptional()
  @IsString()
  provider?: string;
}

@InputType()
export class HeroImageInput {
  @Field()
  @ApiProperty()
  @IsString()
  @Matches(/^https?:\/\//i, { message: 'url must be an http(s) URL' })
  url!: string;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  alt?: string | null;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  caption?: string | null;
  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  credit?: string | null;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  width?: number | null;
  @Field(() => Int, { nullable: true })
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  height?: number | null;
}

const readOnly = (field: string) => IsEmpty({ message: `${field} is read-only` });

/**
 * The writable fields of an article (POST, PATCH, GraphQL create/update). On create `title` is
 * required; on update every field is optional and only those given change.
 */
@InputType()
export class ArticleInput {
  @Field({ nullable: true, description: 'Made from the title when omitted.' })
  @ApiPropertyOptional({ maxLength: L.slug })
  @IsOptional()
  @IsString()
  @MaxLength(L.slug, { message: tooLong(L.slug) })
  @Matches(SLUG_PATTERN, { message: `slug ${SLUG_MESSAGE}` })
  slug?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: L.externalId })
  @IsOptional()
  @IsString()
  @MaxLength(L.externalId, { message: tooLong(L.externalId) })
  externalId?: string | null;

  @Field({ nullable: true, description: 'Required when creating.' })
  @ApiPropertyOptional({ maxLength: L.title })
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(L.title, { message: tooLong(L.title) })
  title?: string;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(L.subtitle, { message: tooLong(L.subtitle) })
  subtitle?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'SEOUL, South Korea' })
  @IsOptional()
  @IsString()
  @MaxLength(L.dateline, { message: tooLong(L.dateline) })
  dateline?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(L.byline, { message: tooLong(L.byline) })
  byline?: string | null;

  @Field(() => String, { nullable: true })
  @ApiPropertyOptional({ type: String, nullable: true, example: 'AP' })
  @IsOptional()
  @IsString()
  @MaxLength(L.source, { message: tooLong(L.source) })
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to the start of the first paragraph.' })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(L.excerpt, { message: tooLong(L.excerpt) })
  excerpt?: string | null;

  @Field(() => [BlockInput], { nullable: true })
  @ApiPropertyOptional({ type: [BlockInput] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.blocks, { message: tooMany(L.blocks) })
  @ValidateNested({ each: true })
  @Type(() => BlockInput)
  body?: BlockInput[];

  @Field({ nullable: true, description: 'Sanitised, then turned into blocks.' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  bodyHtml?: string;

  @Field({ nullable: true, description: 'Paragraphs split on blank lines.' })
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  bodyText?: string;

  @Field(() => String, { nullable: true, description: "The primary section's slug." })
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: `section ${SLUG_MESSAGE}` })
  section?: string | null;

  @Field(() => [String], { nullable: true, description: 'Extra sections by slug, in order.' })
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.sections, { message: tooMany(L.sections) })
  @Matches(SLUG_PATTERN, { each: true, message: `sections ${SLUG_MESSAGE}` })
  sections?: string[];

  @Field(() => [String], { nullable: true, description: 'Tag slugs; a tag is made on first use.' })
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.tags, { message: tooMany(L.tags) })
  @MaxLength(L.slug, { each: true, message: tooLong(L.slug) })
  @Matches(SLUG_PATTERN, { each: true, message: `tags ${SLUG_MESSAGE}` })
  tags?: string[];

  @Field(() => HeroImageInput, { nullable: true })
  @ApiPropertyOptional({ type: HeroImageInput, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => HeroImageInput)
  heroImage?: HeroImageInput | null;

  @Field(() => ArticleStatusEnum, { nullable: true })
  @ApiPropertyOptional({ enum: ARTICLE_STATUSES })
  @IsOptional()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;

  @Field(() => String, { nullable: true, description: 'ISO-8601; a future time with `published` schedules.' })
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'publishedAt must be an ISO-8601 time' })
  publishedAt?: string | null;

  @Field(() => [String], { nullable: true, description: 'Editor pins, by id or slug.' })
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.relatedArticles, { message: tooMany(L.relatedArticles) })
  @IsString({ each: true })
  relatedArticles?: string[];

  // Read-only fields, refused by name in REST bodies (GraphQL has no such input fields).
  @readOnly('id') id?: null;
  @readOnly('createdAt') createdAt?: null;
  @readOnly('updatedAt') updatedAt?: null;
  @readOnly('viewCount') viewCount?: null;
  @readOnly('reactions') reactions?: null;
  @readOnly('breadcrumb') breadcrumb?: null;
}

export class PublishInput {
  @ApiPropertyOptional({ format: 'date-time', description: 'A future time schedules; default now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'publishedAt must be an ISO-8601 time' })
  publishedAt?: string;
}
