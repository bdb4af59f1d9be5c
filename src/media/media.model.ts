import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty } from '@nestjs/swagger';

export enum ImageFormat {
  AVIF = 'AVIF',
  WEBP = 'WEBP',
  JPEG = 'JPEG',
}
registerEnumType(ImageFormat, { name: 'ImageFormat', description: 'A format renditions are made in.' });

@ObjectType({ description: 'Where the subject of the picture is, as fractions of its width and height.' })
export class FocalPoint {
  @Field(() => Float, { description: '0 is the left edge, 1 the right.' })
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5 })
  x!: number;

  @Field(() => Float, { description: '0 is the top edge, 1 the bottom.' })
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.5 })
  y!: number;
}

@ObjectType({
  description:
    'A picture in the media library. The original is never served; `url` and `srcset` point at renditions without its metadata.',
})
export class Media {
  @Field(() => ID) @ApiProperty({ format: 'uuid' }) id!: string;
  @Field({ description: 'Always `image` for now.' }) @ApiProperty({ example: 'image' }) kind!: string;
  @Field({ description: "The original's type, read from its bytes." })
  @ApiProperty({ enum: ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif'] })
  mimeType!: string;
  @Field(() => Int) @ApiProperty({ example: 4000 }) width!: number;
  @Field(() => Int) @ApiProperty({ example: 2667 }) height!: number;
  @Field(() => Int, { description: "The original's size in bytes." }) @ApiProperty() bytes!: number;
  @Field({ description: 'Text (no markup).' })
  @ApiProperty({ description: 'Text (no markup).' })
  alt!: string;
  @Field(() => String, { nullable: true, description: 'Inline HTML, sanitised.' })
  @ApiProperty({ type: String, nullable: true, description: 'Inline HTML, sanitised.' })
  caption!: string | null;
  @Field(() => String, { nullable: true, description: 'Inline HTML, sanitised.' })
  @ApiProperty({ type: String, nullable: true, description: 'Inline HTML, sanitised.' })
  credit!: string | null;
  @Field(() => String, { nullable: true, description: 'Text (no markup).' })
  @ApiProperty({ type: String, nullable: true, description: 'Text (no markup).' })
  copyright!: string | null;
  @Field(() => FocalPoint) @ApiProperty({ type: FocalPoint }) focalPoint!: FocalPoint;
  @Field(() => Date, {
    nullable: true,
    description: "When the photo was taken, from the photo's own metadata.",
  })
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  takenAt!: Date | null;
  @Field({ description: 'A ThumbHash of the picture (base64), to show while it loads.' })
  @ApiProperty({ description: 'A ThumbHash of the picture (base64), to show while it loads.' })
  placeholder!: string;
  @Field({
    description:
      'A JPEG rendition (the largest allowed width the original fills), for wherever one URL is needed.',
  })
  @ApiProperty({
    description:
      'A JPEG rendition (the largest allowed width the original fills), for wherever one URL is needed.',
    example: '/api/v1/media/0b8c…/renditions/3f9a61c2d4e5/1920.jpg',
  })
  url!: string;
  /**
   * REST answers the JPEG srcset here; GraphQL's srcset field takes a format and a ratio and is
   * resolved by MediaResolver.
   */
  @ApiProperty({
    description: 'JPEG renditions at every allowed width the original fills, as an HTML srcset.',
    example: '/api/v1/media/0b8c…/renditions/3f9a61c2d4e5/320.jpg 320w, …',
  })
  srcset!: string;
  @Field() @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class MediaPage {
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page.' })
  nextCursor!: string | null;
  @ApiProperty() limit!: number;
}

export class MediaList {
  @ApiProperty({ type: [Media] }) data!: Media[];
  @ApiProperty({ type: MediaPage }) page!: MediaPage;
}
