import { INPUT_LIMITS } from '../../articles/article-schema';
import { attr, child, list, nonEmpty, type XmlValue } from './xml';

/** Media RSS, which feeds (RSS and Atom) use for their pictures. */
export const MEDIA_RSS_NS = 'http://search.yahoo.com/mrss/';

export interface Picture {
  url?: string;
  alt?: string;
  caption?: string;
  credit?: string;
  width?: number;
  height?: number;
}

const IMAGE_EXTENSION = /\.(jpe?g|png|webp|avif|gif)(\?|#|$)/i;
const clip = (v: string | undefined, max: number) => (v ? v.slice(0, max) : undefined);
const size = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/**
 * A hero image from what a file says of a picture: kept as a remote image with its metadata (an
 * import with fetchMedia=true brings it into the media library). None without an http(s) URL: a
 * story is never refused for its picture, so overlong texts are cut to the article's limits.
 */
export function heroPicture(p: Picture | undefined) {
  if (!p?.url || !/^https?:\/\//i.test(p.url) || p.url.length > INPUT_LIMITS.url) return undefined;
  return {
    url: p.url,
    alt: clip(p.alt, INPUT_LIMITS.alt),
    caption: clip(p.caption, INPUT_LIMITS.caption),
    credit: clip(p.credit, INPUT_LIMITS.credit),
    width: size(p.width),
    height: size(p.height),
  };
}

/**
 * A feed item's picture: the widest Media RSS `media:content` that is an image (also inside
 * `media:group`), else an image `enclosure` (RSS) or enclosure link (Atom), else `media:thumbnail`.
 */
export function feedPicture(item: XmlValue, media: string): Picture | undefined {
  const contents = [
    ...list(child(item, `${media}:content`)),
    ...list(child(item, `${media}:group`)).flatMap((g) => list(child(g, `${media}:content`))),
  ].filter((c) => {
    const type = attr(c, 'type');
    const medium = attr(c, 'medium');
    return (
      medium === 'image' ||
      type?.startsWith('image/') ||
      (!type && !medium && IMAGE_EXTENSION.test(attr(c, 'url') ?? ''))
    );
  });
  const widest = contents.sort((a, b) => (size(attr(b, 'width')) ?? 0) - (size(attr(a, 'width')) ?? 0))[0];
  if (widest)
    return {
      url: attr(widest, 'url'),
      caption:
        nonEmpty(child(widest, `${media}:description`)) ?? nonEmpty(child(item, `${media}:description`)),
      credit: nonEmpty(child(widest, `${media}:credit`)) ?? nonEmpty(child(item, `${media}:credit`)),
      alt: nonEmpty(child(widest, `${media}:title`)),
      width: size(attr(widest, 'width')),
      height: size(attr(widest, 'height')),
    };
  const enclosure = [
    ...list(child(item, 'enclosure')),
    ...list(child(item, 'link')).filter((l) => attr(l, 'rel') === 'enclosure'),
  ].find((e) => attr(e, 'type')?.startsWith('image/'));
  if (enclosure) return { url: attr(enclosure, 'url') ?? attr(enclosure, 'href') };
  const thumbnail = list(child(item, `${media}:thumbnail`))[0];
  return thumbnail
    ? {
        url: attr(thumbnail, 'url'),
        width: size(attr(thumbnail, 'width')),
        height: size(attr(thumbnail, 'height')),
      }
    : undefined;
}
