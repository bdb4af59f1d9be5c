import { createUnionType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-type-json';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { SectionRef } from '../sections/section.model';
import { ArticleLock } from './editing/editing.model';
import { BLOCK_FIELD_RULES, BLOCK_TEXT_USE, type Block } from './body/blocks';

import { ARTICLE_STATUSES, ArticleStatusEnum, type ArticleStatus } from './article-status';

/** Descriptions of the answer's block fields: the field's rule, and for text how to use it. */
const INLINE_HTML = `${BLOCK_FIELD_RULES.inlineHtml} ${BLOCK_TEXT_USE}`;
const TEXT_ONLY = `${BLOCK_FIELD_RULES.text} ${BLOCK_TEXT_USE}`;
const URL_RULE = BLOCK_FIELD_RULES.url;

@ObjectType()
export class ParagraphBlock {
  @Field() @ApiProperty({ enum: ['paragraph'] }) type!: 'paragraph';
  @Field({ description: INLINE_HTML }) @ApiProperty({ description: INLINE_HTML }) text!: string;
}
@ObjectType()
export class HeadingBlock {
  @Field() @ApiProperty({ enum: ['heading'] }) type!: 'heading';
  @Field(() => Int, { description: '2, 3 or 4.' })
  @ApiProperty({ type: 'integer', enum: [2, 3, 4] })
  level!: number;
  @Field({ description: INLINE_HTML }) @ApiProperty({ description: INLINE_HTML }) text!: string;
}
@ObjectType()
export class QuoteBlock {
  @Field() @ApiProperty({ enum: ['quote'] }) type!: 'quote';
  @Field({ description: INLINE_HTML }) @ApiProperty({ description: INLINE_HTML }) text!: string;
  @Field(() => String, { nullable: true, description: `Who said it. ${INLINE_HTML}` })
  @ApiPropertyOptional({ description: `Who said it. ${INLINE_HTML}` })
  cite?: string;
}
@ObjectType()
export class ListBlock {
  @Field() @ApiProperty({ enum: ['list'] }) type!: 'list';
  @Field() @ApiProperty() ordered!: boolean;
  @Field(() => [String], { description: `Each item: ${INLINE_HTML}` })
  @ApiProperty({ type: [String], description: `Each item: ${INLINE_HTML}` })
  items!: string[];
}
@ObjectType()
export class ImageBlock {
  @Field() @ApiProperty({ enum: ['image'] }) type!: 'image';
  @Field({ description: URL_RULE }) @ApiProperty({ description: URL_RULE }) url!: string;
  @Field({ description: `The image described for those who cannot see it. ${TEXT_ONLY}` })
  @ApiProperty({ description: `The image described for those who cannot see it. ${TEXT_ONLY}` })
  alt!: string;
  @Field(() => String, { nullable: true, description: INLINE_HTML })
  @ApiPropertyOptional({ description: INLINE_HTML })
  caption?: string;
  @Field(() => String, { nullable: true, description: `Who made the image. ${INLINE_HTML}` })
  @ApiPropertyOptional({ description: `Who made the image. ${INLINE_HTML}` })
  credit?: string;
}
@ObjectType()
export class EmbedBlock {
  @Field() @ApiProperty({ enum: ['embed'] }) type!: 'embed';
  @Field({ description: URL_RULE }) @ApiProperty({ description: URL_RULE }) url!: string;
  @Field(() => String, { nullable: true, description: `The embed's source, e.g. YouTube. ${TEXT_ONLY}` })
  @ApiPropertyOptional({ description: `The embed's source, e.g. YouTube. ${TEXT_ONLY}` })
  provider?: string;
}

/** The block shapes, for the OpenAPI document (one of them per body item, told apart by `type`). */
const BLOCK_MODELS = [ParagraphBlock, HeadingBlock, QuoteBlock, ListBlock, ImageBlock, EmbedBlock];

export const BlockUnion = createUnionType({
  name: 'Block',
  description: 'One block of an article body; `type` tells which.',
  types: () => [ParagraphBlock, HeadingBlock, QuoteBlock, ListBlock, ImageBlock, EmbedBlock] as const,
  resolveType(value: Block) {
    switch (value.type) {
      case 'paragraph':
        return ParagraphBlock;
      case 'heading':
        return HeadingBlock;
      case 'quote':
        return QuoteBlock;
      case 'list':
        return ListBlock;
      case 'image':
        return ImageBlock;
      case 'embed':
        return EmbedBlock;
    }
  },
});

@ObjectType()
export class Tag {
  @Field() @ApiProperty({ example: 'elections' }) slug!: string;
  @Field() @ApiProperty({ example: 'Elections' }) name!: string;
}

@ObjectType({ description: 'The count of one reaction type on one article.' })
export class ReactionCount {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) articleId!: string;
  @Field() @ApiProperty({ example: 'veryGood' }) type!: string;
  @Field(() => Int) @ApiProperty() count!: number;
}

@ObjectType()
export class HeroImage {
  @Field() @ApiProperty() url!: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) alt!: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) caption!:
    string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) credit!:
    string | null;
  @Field(() => Int, { nullable: true }) @ApiProperty({ type: 'integer', nullable: true }) width!:
    number | null;
  @Field(() => Int, { nullable: true }) @ApiProperty({ type: 'integer', nullable: true }) height!:
    number | null;
  /** The media library's picture, by id (GraphQL answers the Media itself: see HeroMediaResolver). */
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: "The media library's picture this is, or null for a picture by URL.",
  })
  media!: string | null;
}

export const ARTICLE_URL =
  "Where the public reads it: PUBLIC_SITE_URL and ARTICLE_URL_TEMPLATE filled in with the article's data.";

export const JSON_LD =
  'The article as a schema.org NewsArticle (JSON-LD) for the page\'s <script type="application/ld+json">: headline, dates, author, publisher (SITE_NAME), image, section, language; a field without a value is left out.';

/** The article without its body: what lists, rankings and recommendations return. */
@ObjectType({ isAbstract: true })
export class ArticleSummary {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id!: string;
  @Field() @ApiProperty({ example: 'harbour-reopens-after-storm' }) slug!: string;
  @Field({ description: ARTICLE_URL }) @ApiProperty({ format: 'uri', description: ARTICLE_URL }) url!: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) externalId!:
    string | null;
  @Field() @ApiProperty() title!: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) subtitle!:
    string | null;
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, example: 'SEOUL, South Korea' })
  dateline!: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) byline!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Wire credit, e.g. AP.' })
  @ApiProperty({ type: String, nullable: true, example: 'AP' })
  source!: string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) excerpt!:
    string | null;
  @Field(() => SectionRef, { nullable: true })
  @ApiProperty({ type: SectionRef, nullable: true })
  section!: SectionRef | null;
  @Field(() => [SectionRef], { description: "From the root down to the article's section itself." })
  @ApiProperty({ type: [SectionRef] })
  breadcrumb!: SectionRef[];
  @Field(() => [SectionRef], { description: 'Extra sections, in order.' })
  @ApiProperty({ type: [SectionRef] })
  sections!: SectionRef[];
  @Field(() => [Tag]) @ApiProperty({ type: [Tag] }) tags!: Tag[];
  @Field(() => HeroImage, { nullable: true })
  @ApiProperty({ type: HeroImage, nullable: true })
  heroImage!: HeroImage | null;
  @Field(() => ArticleStatusEnum) @ApiProperty({ enum: ARTICLE_STATUSES }) status!: ArticleStatus;
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  publishedAt!: string | null;
  @Field() @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @Field() @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @Field(() => [ReactionCount], { description: 'Every configured reaction type, 0 included.' })
  @ApiProperty({ type: [ReactionCount] })
  reactions!: ReactionCount[];
  @Field(() => Int) @ApiProperty() viewCount!: number;
  @Field(() => Int, {
    description:
      'Starts at 1, one more with each stored change. Send it back to make a write conditional (REST `If-Match: "<version>"`, GraphQL `expectedVersion`).',
  })
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description:
      'Starts at 1, one more with each stored change. Send it back to make a write conditional (`If-Match: "<version>"`; editors\' answers carry it as their ETag).',
  })
  version!: number;
}

@ObjectType()
@ApiExtraModels(...BLOCK_MODELS)
export class Article extends ArticleSummary {
  @Field(() => [BlockUnion])
  @ApiProperty({
    type: 'array',
    items: { oneOf: BLOCK_MODELS.map((model) => ({ $ref: getSchemaPath(model) })) },
    description:
      'Ordered blocks; `type` tells which. Every text field is sanitised HTML ' +
      '(text, items, cite, caption and credit may carry <b>, <i> and <a href>; alt and provider no tags): insert it ' +
      'as HTML, do not escape it again. A url is an absolute http(s) URL in its normalised form.',
  })
  body!: Block[];
  @Field({ description: 'Rendered from the blocks; sanitised.' }) @ApiProperty() bodyHtml!: string;
  @Field({ description: 'Text blocks joined by a blank line.' }) @ApiProperty() bodyText!: string;
  @Field(() => GraphQLJSONObject, { description: JSON_LD })
  @ApiProperty({ type: 'object', additionalProperties: true, description: JSON_LD })
  jsonLd!: Record<string, unknown>;
  @Field(() => [Article], { description: 'Editor pins, public ones only for the public.' })
  @ApiProperty({ type: [ArticleSummary] })
  relatedArticles!: ArticleSummary[];
  // GraphQL resolves it in editing.resolver.ts.
  @ApiPropertyOptional({
    type: ArticleLock,
    nullable: true,
    description: 'Editors only (absent for the public): the edit lease, null when nobody holds it.',
  })
  lock?: ArticleLock | null;
}

export class PageInfo {
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty() limit!: number;
}

export class ArticleList {
  @ApiProperty({ type: [ArticleSummary] }) data!: ArticleSummary[];
  @ApiProperty({ type: PageInfo }) page!: PageInfo;
}

@ObjectType('PageInfo', { description: 'Relay Cursor Connections page information.' })
export class GraphqlPageInfo {
  @Field({ description: 'More items follow this page (after endCursor).' }) hasNextPage!: boolean;
  @Field({ description: 'More items precede this page (before startCursor).' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "The first edge's cursor; null on an empty page." })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "The last edge's cursor; null on an empty page." })
  endCursor!: string | null;
}

@ObjectType()
export class ArticleEdge {
  @Field() cursor!: string;
  @Field(() => Article) node!: Article;
}

@ObjectType()
export class ArticleConnection {
  @Field(() => [ArticleEdge]) edges!: ArticleEdge[];
  @Field(() => GraphqlPageInfo) pageInfo!: GraphqlPageInfo;
  @Field(() => Int) totalCount!: number;
}

/**
 * A saved earlier version: the article's input fields as they were before the change made at
 * `createdAt` (sections and tags by slug, pinned related articles by id).
 */
@ObjectType({
  description:
    "A saved earlier version: the article's input fields as they were before the change made at createdAt (sections and tags by slug, related articles by id). Editors only.",
})
export class Revision {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id!: string;
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) articleId!: string;
  @Field() @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @Field(() => String, { nullable: true, description: 'The name of the key that made the change.' })
  @ApiProperty({ type: String, nullable: true, description: 'The name of the key that made the change.' })
  author!: string | null;
  @Field() @ApiProperty() slug!: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) externalId!:
    string | null;
  @Field() @ApiProperty() title!: string;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) subtitle!:
    string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) dateline!:
    string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) byline!:
    string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) source!:
    string | null;
  @Field(() => String, { nullable: true }) @ApiProperty({ type: String, nullable: true }) excerpt!:
    string | null;
  @Field(() => [BlockUnion])
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Ordered blocks.' })
  body!: Block[];
  @Field(() => String, { nullable: true, description: 'Section slug.' })
  @ApiProperty({ type: String, nullable: true, description: 'Section slug.' })
  section!: string | null;
  @Field(() => [String], { description: 'Extra section slugs, in order.' })
  @ApiProperty({ type: [String], description: 'Extra section slugs, in order.' })
  sections!: string[];
  @Field(() => [String], { description: 'Tag slugs.' })
  @ApiProperty({ type: [String], description: 'Tag slugs.' })
  tags!: string[];
  @Field(() => HeroImage, { nullable: true })
  @ApiProperty({ type: HeroImage, nullable: true })
  heroImage!: HeroImage | null;
  @Field(() => ArticleStatusEnum) @ApiProperty({ enum: ARTICLE_STATUSES }) status!: ArticleStatus;
  @Field(() => String, { nullable: true })
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  publishedAt!: string | null;
  @Field(() => [ID], { description: 'Pinned related articles, by id.' })
  @ApiProperty({ type: [String], description: 'Pinned related articles, by id.' })
  relatedArticles!: string[];
}

export class RevisionList {
  @ApiProperty({ type: [Revision] }) data!: Revision[];
}
