import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * Test pictures made on the spot, so each test shows what is in its picture: IPTC and GPS fields
 * as a wire photo carries them, a red mark at a known place, headers that lie about their size.
 */

/** An IPTC-IIM dataset (record 2), as in a Photoshop APP13 segment. */
function iptcDataset(tag: number, value: string): Buffer {
  const data = Buffer.from(value, 'utf8');
  return Buffer.concat([Buffer.from([0x1c, 2, tag, data.length >> 8, data.length & 0xff]), data]);
}

/** An APP13 "Photoshop 3.0" segment holding an IPTC block (image resource 0x0404). */
function iptcSegment(fields: { caption?: string; byline?: string; credit?: string }): Buffer {
  const datasets = Buffer.concat([
    iptcDataset(0, '\u0000\u0004'),
    ...(fields.caption ? [iptcDataset(120, fields.caption)] : []),
    ...(fields.byline ? [iptcDataset(80, fields.byline)] : []),
    ...(fields.credit ? [iptcDataset(110, fields.credit)] : []),
  ]);
  const padded = datasets.length % 2 ? Buffer.concat([datasets, Buffer.from([0])]) : datasets;
  const size = Buffer.alloc(4);
  size.writeUInt32BE(datasets.length);
  const resource = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), size, padded]);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\u0000', 'latin1'), resource]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xed]), length, body]);
}

/** Puts a segment right after the JPEG's SOI marker. */
function withSegment(jpeg: Buffer, segment: Buffer): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

export const WIRE_PHOTO = {
  caption: 'Ferries leave Incheon at dawn after the typhoon',
  byline: 'Min-ji Park',
  credit: 'AP',
  /** Where the photographer stood: what must never reach a reader. */
  latitude: 37.4563,
  longitude: 126.7052,
  serial: 'SN-4417-2209',
};

/** A wire photo: IPTC caption, by-line and credit, EXIF GPS position and camera serial, a date taken. */
export async function wirePhoto(): Promise<Buffer> {
  const jpeg = await sharp({
    create: { width: 2400, height: 1600, channels: 3, background: { r: 40, g: 90, b: 140 } },
  })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'Dateline', Model: 'Field camera' },
      IFD2: { DateTimeOriginal: '2026:08:14 06:12:30', BodySerialNumber: WIRE_PHOTO.serial },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '37/1 27/1 2268/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '126/1 42/1 1872/100',
      },
    })
    .toBuffer();
  return withSegment(jpeg, iptcSegment(WIRE_PHOTO));
}

/**
 * A square grey picture with a red mark centred at (markX, markY) (fractions): crops around a
 * focal point on the mark have the mark in their middle.
 */
export async function markedPhoto(
  size: number,
  markX: number,
  markY: number,
  markSize = 80,
): Promise<Buffer> {
  const mark = await sharp({
    create: { width: markSize, height: markSize, channels: 3, background: { r: 230, g: 0, b: 0 } },
  })
    .png()
    .toBuffer();
  return sharp({ create: { width: size, height: size, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .composite([
      {
        input: mark,
        left: Math.round(markX * size - markSize / 2),
        top: Math.round(markY * size - markSize / 2),
      },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Where the red mark of a decoded picture is: the centre of its red pixels. */
export async function findMark(
  image: Buffer,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sumX = 0;
  let sumY = 0;
  let n = 0;
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * 3;
      if (data[i] > 180 && data[i + 1] < 80 && data[i + 2] < 80) {
        sumX += x;
        sumY += y;
        n++;
      }
    }
  if (n === 0) throw new Error('no red mark in the picture');
  return { x: sumX / n, y: sumY / n, width: info.width, height: info.height };
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A small PNG file whose header declares width × height pixels: a pixel bomb. */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    // One compressed block of zeros; far less than the picture, which is never decoded.
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100" fill="red"/></svg>',
);

export async function plainPng(width = 800, height = 600): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 160, b: 60 } } })
    .png()
    .toBuffer();
}
