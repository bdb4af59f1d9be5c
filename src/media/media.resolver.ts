import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../common/auth/decorators';
import { parseUuid } from '../common/http/id-or-slug.pipe';
import { ImageFormat, Media } from './media.model';
import { MediaService, type MediaWithSource } from './media.service';
import { parseRatio } from './renditions';

const RATIO_DESCRIPTION =
  'Crop to this ratio around the focal point: `1:1`, `4:3`, `16:9` or `3:2`; none keeps the picture whole.';

@Resolver(() => Media)
export class MediaResolver {
  constructor(private readonly media: MediaService) {}

  @Query(() => Media, {
    name: 'media',
    nullable: true,
    description: 'A picture of the media library (public metadata).',
  })
  @Public()
  mediaItem(@Args('id', { type: () => ID }) id: string): Promise<Media | null> {
    return this.media.find(parseUuid(id));
  }

  @ResolveField(() => String, {
    description:
      'The URL of one rendition. The width must be one of MEDIA_WIDTHS; a picture is never enlarged.',
  })
  src(
    @Parent() media: MediaWithSource,
    @Args('width', { type: () => Int }) width: number,
    @Args('format', { type: () => ImageFormat, nullable: true }) format: ImageFormat | null,
    @Args('ratio', { type: () => String, nullable: true, description: RATIO_DESCRIPTION })
    ratio: string | null,
  ): string {
    return this.media.src(media, width, format ?? undefined, parseRatio(ratio));
  }

  @ResolveField(() => String, {
    description: 'Renditions at every allowed width the picture fills, as an HTML srcset (JPEG unless told).',
  })
  srcset(
    @Parent() media: MediaWithSource,
    @Args('format', { type: () => ImageFormat, nullable: true }) format: ImageFormat | null,
    @Args('ratio', { type: () => String, nullable: true, description: RATIO_DESCRIPTION })
    ratio: string | null,
  ): string {
    return this.media.srcset(media, format ?? undefined, parseRatio(ratio));
  }
}
