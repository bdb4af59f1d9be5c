import { createHash } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { DomainError } from '../common/errors/domain-error';

export type ImageType = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif';

export const MIME_TYPES: Record<ImageType, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

const ascii = (bytes: Buffer, start: number, end: number) => bytes.toString('latin1', start, end);

/**
 * The image type the bytes themselves declare, whatever the file name or the Content-Type said.
 * Only the five types the library takes are recognised; anything else (SVG, TIFF, HEIC, PDF, …)
 * is null, and never reaches an image decoder.
 */
export function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])))
    return 'png';
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  // ISO BMFF: a leading ftyp box whose major or compatible brands name AVIF (HEIC is refused).
  if (bytes.length >= 16 && ascii(bytes, 4, 8) === 'ftyp') {
    const boxEnd = Math.min(bytes.readUInt32BE(0), bytes.length, 256);
    const brands = [ascii(bytes, 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(bytes, at, at + 4));
    if (brands.some((b) => b === 'avif' || b === 'avis')) return 'avif';
  }
  return null;
}

export interface ImageMetadata {
  /** Caption, credit (by-line or credit line), copyright and date taken, as the photo's own fields say. */
  caption: string | null;
  credit: string | null;
  copyright: string | null;
  takenAt: Date | null;
}

export interface ReadImage extends ImageMetadata {
  type: ImageType;
  mimeType: string;
  /** As displayed: after the EXIF orientation is applied. */
  width: number;
  height: number;
  bytes: number;
  /** SHA-256 of the bytes, hex. */
  contentHash: string;
  /** ThumbHash of the image, base64. */
  placeholder: string;
}

const unreadable = (why: string) => new DomainError('IMAGE_UNREADABLE', `The image cannot be read: ${why}.`);

/**
 * Reads an upload once: its type from the bytes, its size from the header (a pixel bomb is refused
 * before any pixel is decoded), then one decode of a small version (which also proves the file is
 * whole: a truncated or corrupt image fails here) for the placeholder, and the IPTC, XMP and EXIF
 * fields the library keeps. Nothing else of the photo's metadata (GPS position, camera serials)
 * leaves this function.
 */
export async function readImage(bytes: Buffer, maxPixels: number): Promise<ReadImage> {
  const type = sniffImageType(bytes);
  if (!type)
    throw new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      'The file is not a JPEG, PNG, WebP, AVIF or GIF image (its bytes decide, not its name or type).',
    );
  let header: sharp.Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable('its header is damaged');
  }
  const width = header.autoOrient?.width ?? header.width;
  const height = header.autoOrient?.height ?? header.height;
  if (!width || !height) throw unreadable('it declares no size');
  // Every frame of an animation is decoded: they all count.
  const pixels = width * height * (header.pages ?? 1);
  if (pixels > maxPixels)
    throw new DomainError(
      'IMAGE_TOO_MANY_PIXELS',
      `The image has ${width} × ${height} pixels${(header.pages ?? 1) > 1 ? ` in ${header.pages} frames` : ''}; at most ${maxPixels} pixels are accepted.`,
    );
  let placeholder: string;
  try {
    const small = await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels, autoOrient: true })
      .resize(100, 100, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    placeholder = Buffer.from(rgbaToThumbHash(small.info.width, small.info.height, small.data)).toString(
      'base64',
    );
  } catch {
    throw unreadable('it is truncated or corrupt');
  }
  return {
    type,
    mimeType: MIME_TYPES[type],
    width,
    height,
    bytes: bytes.length,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    placeholder,
    ...(await readPhotoFields(bytes)),
  };
}

const MAX_FIELD = 2000;

function text(value: unknown): string | null {
  if (Array.isArray(value)) return text(value.filter((v) => typeof v === 'string').join(', '));
  if (value && typeof value === 'object' && 'value' in value) return text(value.value);
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed.slice(0, MAX_FIELD) : null;
}

function date(value: unknown): Date | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'string') {
    // EXIF writes 2024:05:01 10:00:00; IPTC 2024-05-01 (or 20240501).
    const normal = value
      .replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3')
      .replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
    const d = new Date(normal);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return null;
}

/** The wire style: "Min-ji Park / AP" from the by-line and the credit line, either alone when one is missing. */
function creditLine(byline: string | null, credit: string | null): string | null {
  if (byline && credit && byline !== credit) return `${byline} / ${credit}`;
  return byline ?? credit;
}

const first = <T>(...values: (T | null)[]): T | null => values.find((v) => v !== null) ?? null;

/**
 * The fields a newsroom fills from the photo: IPTC (what wire services write), then XMP, then
 * EXIF. Only these named fields are read; GPS and maker notes are not even parsed.
 */
async function readPhotoFields(bytes: Buffer): Promise<ImageMetadata> {
  let tags: Record<string, unknown> = {};
  try {
    tags =
      ((await exifr.parse(bytes, {
        tiff: true,
        exif: true,
        gps: false,
        interop: false,
        ifd1: false,
        makerNote: false,
        userComment: false,
        iptc: true,
        xmp: true,
        icc: false,
        jfif: false,
        ihdr: false,
        mergeOutput: true,
        reviveValues: true,
        translateValues: true,
        translateKeys: true,
      })) as Record<string, unknown> | undefined) ?? {};
  } catch {
    // A photo whose metadata cannot be parsed is still a photo: the editor fills the fields.
  }
  return {
    caption: first(text(tags.Caption), text(tags.description), text(tags.ImageDescription)),
    credit: creditLine(first(text(tags.Byline), text(tags.creator), text(tags.Artist)), text(tags.Credit)),
    copyright: first(text(tags.CopyrightNotice), text(tags.rights), text(tags.Copyright)),
    takenAt: first(date(tags.DateTimeOriginal), date(tags.DateCreated), date(tags.CreateDate)),
  };
}
