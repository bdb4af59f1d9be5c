import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainError } from '../common/errors/domain-error';
import { ImageFormat } from './media.model';

/** The crops a rendition may have; none keeps the picture's own shape. */
export const RATIOS = ['1:1', '4:3', '16:9', '3:2'] as const;
export type Ratio = (typeof RATIOS)[number];

const EXTENSIONS: Record<ImageFormat, string> = { AVIF: 'avif', WEBP: 'webp', JPEG: 'jpg' };
const FORMAT_OF_EXTENSION = new Map(Object.entries(EXTENSIONS).map(([f, e]) => [e, f as ImageFormat]));
export const RENDITION_MIME_TYPES: Record<ImageFormat, string> = {
  AVIF: 'image/avif',
  WEBP: 'image/webp',
  JPEG: 'image/jpeg',
};

export interface RenditionSpec {
  width: number;
  format: ImageFormat;
  ratio: Ratio | null;
}

/** What a rendition is cut from: the picture as displayed and where its subject is. */
export interface RenditionSource {
  id: string;
  contentHash: string;
  width: number;
  height: number;
  focalX: number;
  focalY: number;
}

/**
 * The part of every rendition URL that changes with the picture: a new file or a moved focal
 * point gives new URLs, so a rendition can be cached for a year and never go stale.
 */
export function renditionVersion(source: RenditionSource): string {
  return createHash('sha256')
    .update(`${source.contentHash}|${source.focalX}|${source.focalY}`)
    .digest('hex')
    .slice(0, 16);
}

/** Where the media routes are served. */
export const MEDIA_PATH = '/api/v1/media';

/** The URL of one rendition: it names the picture's version, so it changes when the picture does. */
export function renditionUrl(source: RenditionSource, spec: RenditionSpec): string {
  return `${MEDIA_PATH}/${source.id}/renditions/${renditionVersion(source)}/${renditionName(spec)}`;
}

/**
 * The width of a media item's `url`: the widest allowed width the picture fills (the smallest
 * allowed width for a picture narrower than every width; it is not enlarged).
 */
export function defaultRenditionWidth(source: RenditionSource, widths: number[]): number {
  const fitting = widths.filter((w) => w <= source.width);
  return fitting.length > 0 ? fitting[fitting.length - 1] : widths[0];
}

/** A media item's `url`, as media answers and articles' hero images give it: a JPEG, uncropped. */
export function defaultRenditionUrl(source: RenditionSource, widths: number[]): string {
  return renditionUrl(source, {
    width: defaultRenditionWidth(source, widths),
    format: ImageFormat.JPEG,
    ratio: null,
  });
}

/** `640.webp`, `640-16x9.webp`. */
export function renditionName(spec: RenditionSpec): string {
  return `${spec.width}${spec.ratio ? `-${spec.ratio.replace(':', 'x')}` : ''}.${EXTENSIONS[spec.format]}`;
}

export function parseRenditionName(name: string): RenditionSpec | null {
  const m = /^(\d{1,5})(?:-(\d{1,2})x(\d{1,2}))?\.([a-z]{3,4})$/.exec(name);
  if (!m) return null;
  const format = FORMAT_OF_EXTENSION.get(m[4]);
  const ratio = m[2] ? (`${m[2]}:${m[3]}` as Ratio) : null;
  if (!format || (ratio && !RATIOS.includes(ratio))) return null;
  return { width: Number(m[1]), format, ratio };
}

export function parseRatio(raw: string | null | undefined, path = 'ratio'): Ratio | null {
  if (raw === null || raw === undefined) return null;
  if ((RATIOS as readonly string[]).includes(raw)) return raw as Ratio;
  throw DomainError.validation([{ path, message: `must be one of ${RATIOS.join(', ')}` }]);
}

export function checkWidth(width: number, allowed: number[], path = 'width'): void {
  if (!allowed.includes(width))
    throw DomainError.validation([
      { path, message: `must be one of ${allowed.join(', ')} (renditions are made at these widths only)` },
    ]);
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The largest region of the ratio that fits the picture, as centred on the focal point as it can be. */
export function cropRegion(source: RenditionSource, ratio: Ratio | null): Region {
  if (!ratio) return { left: 0, top: 0, width: source.width, height: source.height };
  const [a, b] = ratio.split(':').map(Number);
  let width = source.width;
  let height = Math.round((source.width * b) / a);
  if (height > source.height) {
    height = source.height;
    width = Math.min(source.width, Math.round((source.height * a) / b));
  }
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max, Math.round(v)));
  return {
    left: clamp(source.focalX * source.width - width / 2, source.width - width),
    top: clamp(source.focalY * source.height - height / 2, source.height - height),
    width,
    height,
  };
}

/**
 * The size a rendition comes out at: the asked width, or the region's own width when that is
 * smaller (a picture is never enlarged); the height keeps the ratio exactly.
 */
export function outputSize(region: Region, spec: RenditionSpec): { width: number; height: number } {
  const width = Math.min(spec.width, region.width);
  if (spec.ratio) {
    const [a, b] = spec.ratio.split(':').map(Number);
    return { width, height: Math.max(1, Math.round((width * b) / a)) };
  }
  return { width, height: Math.max(1, Math.round((width * region.height) / region.width)) };
}

/**
 * Makes one rendition from the original's bytes: oriented upright, cropped, resized, encoded. sharp
 * writes no metadata unless asked (EXIF, IPTC, XMP and GPS stay behind), and the colours are
 * converted to sRGB.
 */
export async function makeRendition(
  original: Buffer,
  source: RenditionSource,
  spec: RenditionSpec,
  maxPixels: number,
): Promise<Buffer> {
  const region = cropRegion(source, spec.ratio);
  const size = outputSize(region, spec);
  let image = sharp(original, { limitInputPixels: maxPixels, failOn: 'none', autoOrient: true });
  if (spec.ratio) image = image.extract(region);
  image = image.resize(size.width, size.height, { fit: 'fill' });
  switch (spec.format) {
    case ImageFormat.AVIF:
      return image.avif({ quality: 55, effort: 2 }).toBuffer();
    case ImageFormat.WEBP:
      return image.webp({ quality: 80 }).toBuffer();
    case ImageFormat.JPEG:
      return image.flatten({ background: '#ffffff' }).jpeg({ quality: 82, progressive: true }).toBuffer();
  }
}
