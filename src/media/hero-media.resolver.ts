import DataLoader from 'dataloader';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { HeroImage } from '../articles/article.model';
import type { GraphqlContext } from '../common/graphql/graphql.config';
import { GraphqlLoaders } from '../common/graphql/loaders';
import { Media } from './media.model';
import { MediaService, type MediaWithSource } from './media.service';

export const MEDIA_LOADERS = 'media';

export interface MediaLoaders {
  /** Media by id, one query for a page's hero images. */
  byId: DataLoader<string, MediaWithSource | null>;
}

/** An article's hero image from the media library answers the Media, with its src and srcset. */
@Resolver(() => HeroImage)
export class HeroMediaResolver {
  constructor(media: MediaService, loaders: GraphqlLoaders) {
    loaders.register(MEDIA_LOADERS, () => ({
      byId: new DataLoader(async (ids: readonly string[]) => {
        const found = new Map((await media.findMany(ids)).map((m) => [m.id, m]));
        return ids.map((id) => found.get(id) ?? null);
      }),
    }));
  }

  @ResolveField(() => Media, {
    nullable: true,
    description:
      'The media library\'s picture, for renditions: `media { src(width: 640, format: WEBP, ratio: "16:9") srcset }`. Null for a picture by URL.',
  })
  media(@Parent() hero: HeroImage, @Context() ctx: GraphqlContext): Promise<MediaWithSource | null> | null {
    return hero.media ? ctx.loaders.get<MediaLoaders>(MEDIA_LOADERS).byId.load(hero.media) : null;
  }
}
