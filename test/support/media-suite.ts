import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import exifr from 'exifr';
import sharp from 'sharp';
import type { MediaConfig } from '../../src/config/config';
import { expectProblem, type HttpClient } from './http-client';
import { findMark, markedPhoto, plainPng, pngDeclaring, SVG, WIRE_PHOTO, wirePhoto } from './media-images';
import { spawnServer } from './spawned-server';
import { startTestApp, testConfig, unique, type TestApp } from './test-app';
import { usingEmbeddedDatabase } from './test-database';

/** Where a suite keeps its pictures: the media settings for an in-process app and for a spawned one. */
export interface MediaStore {
  media: Partial<MediaConfig>;
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface UploadOptions {
  filename?: string;
  contentType?: string;
  fields?: Record<string, string>;
}

/** A multipart upload as a browser form sends it. */
export async function upload(client: HttpClient, bytes: Buffer, options: UploadOptions = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(options.fields ?? {})) form.append(k, v);
  form.append(
    'file',
    new Blob([new Uint8Array(bytes)], { type: options.contentType ?? 'application/octet-stream' }),
    options.filename ?? 'photo.jpg',
  );
  const headers: Record<string, string> = {};
  if (client.key) headers.authorization = `Bearer ${client.key}`;
  const res = await fetch(`${client.baseUrl}/api/v1/media`, { method: 'POST', body: form, headers });
  const text = await res.text();
  const body = /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body, text };
}

export async function fetchBytes(baseUrl: string, path: string) {
  const res = await fetch(`${baseUrl}${path}`);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The URLs of an HTML srcset with their width descriptors. */
export function srcsetEntries(srcset: string): { url: string; width: number }[] {
  return srcset.split(', ').map((entry) => {
    const [url, w] = entry.split(' ');
    return { url, width: Number(w.replace(/w$/, '')) };
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Peak and current resident memory of a process, in bytes (Linux /proc). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Serves fixed answers on 127.0.0.1, as a remote image host. */
async function imageHost(routes: Record<string, (res: import('node:http').ServerResponse) => void>) {
  const server: Server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const GRAPHQL_MEDIA = `query ($id: ID!) {
  media(id: $id) {
    id mimeType width height caption credit copyright takenAt placeholder url srcset
    focalPoint { x y }
    webp: srcset(format: WEBP)
    avif: srcset(format: AVIF)
    hero: src(width: 640, format: WEBP, ratio: "16:9")
    heroSet: srcset(format: WEBP, ratio: "16:9")
    square: src(width: 320, format: JPEG, ratio: "1:1")
  }
}`;

/**
 * The media library's acceptance tests, run once per store (local directory, S3): the same
 * behaviour whatever keeps the bytes.
 */
export function mediaLibraryTests(storeName: string, openStore: () => Promise<MediaStore>): void {
  let store: MediaStore;
  let t: TestApp;

  beforeAll(async () => {
    store = await openStore();
    t = await startTestApp({
      media: {
        ...testConfig().media,
        ...store.media,
        fetchAllowPrivateUrls: true,
        fetchTimeoutMs: 1500,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await store?.close();
  });

  describe(`a wire photo (${storeName})`, () => {
    it('uploaded with no fields shows its IPTC caption and credit; no answer and no rendition carries its GPS position or camera serial, and the original is never served', async () => {
      const original = await wirePhoto();
      expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(WIRE_PHOTO.latitude, 3) });

      const created = await upload(t.editor, original, {
        filename: 'IMG_2041.JPG',
        contentType: 'image/jpeg',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        kind: 'image',
        mimeType: 'image/jpeg',
        width: 2400,
        height: 1600,
        bytes: original.length,
        caption: WIRE_PHOTO.caption,
        credit: `${WIRE_PHOTO.byline} / ${WIRE_PHOTO.credit}`,
        alt: '',
        focalPoint: { x: 0.5, y: 0.5 },
        takenAt: expect.stringMatching(/^2026-08-14T/),
        placeholder: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      });
      const id = created.body.id as string;

      const publicAnswer = await t.anonymous.get(`/api/v1/media/${id}`);
      expect(publicAnswer.status).toBe(200);
      const graphql = await t.anonymous.request('POST', '/graphql', {
        query: GRAPHQL_MEDIA,
        variables: { id },
      });
      expect(graphql.body.errors).toBeUndefined();
      const media = graphql.body.data.media;
      for (const text of [created.text, publicAnswer.text, graphql.text]) {
        expect(text).not.toMatch(/37[.,]45|126[.,]70|GPS|latitude|longitude/i);
        expect(text).not.toContain(WIRE_PHOTO.serial);
      }

      const urls = new Set<string>([
        media.url,
        media.hero,
        media.square,
        ...[media.srcset, media.webp, media.avif, media.heroSet].flatMap((s: string) =>
          srcsetEntries(s).map((e) => e.url),
        ),
      ]);
      expect(urls.size).toBeGreaterThanOrEqual(15);
      for (const url of urls) {
        const served = await fetchBytes(t.url, url);
        expect({ url, status: served.status }).toEqual({ url, status: 200 });
        expect(await exifr.gps(served.bytes).catch(() => undefined)).toBeUndefined();
        const tags = await exifr
          .parse(served.bytes, { tiff: true, exif: true, gps: true, iptc: true, xmp: true })
          .catch(() => undefined);
        expect({ url, tags }).toEqual({ url, tags: undefined });
        expect(served.bytes.includes(WIRE_PHOTO.serial)).toBe(false);
        expect(sha256(served.bytes)).not.toBe(sha256(original));
      }

      // Nothing answers the original's bytes, whatever is asked for.
      const version = (media.url as string).split('/')[6];
      for (const path of [
        `/api/v1/media/${id}/original`,
        `/api/v1/media/${id}/renditions/${version}/original.jpg`,
        `/api/v1/media/${id}/renditions/${version}/2400.jpg`,
        `/api/v1/media/${id}/renditions/${version}/../../original`,
        `/api/v1/media/${id}/renditions/..%2F..%2Foriginals/${id}`,
      ]) {
        const answer = await fetchBytes(t.url, path);
        expect({ path, status: answer.status >= 400 && answer.status < 500 }).toEqual({ path, status: true });
        expect(sha256(answer.bytes)).not.toBe(sha256(original));
      }
    });

    it("fields the editor sends win over the photo's own, and are cleaned like article text", async () => {
      const created = await upload(t.editor, await wirePhoto(), {
        fields: {
          caption: 'Dawn at the <b>ferry</b> terminal<script>alert(1)</script>',
          alt: 'Ferries at a pier <img src=x onerror=alert(1)>',
          copyright: '© 2026 AP',
          focalPoint: '0.25,0.75',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        caption: 'Dawn at the <b>ferry</b> terminal',
        alt: 'Ferries at a pier',
        credit: `${WIRE_PHOTO.byline} / ${WIRE_PHOTO.credit}`,
        copyright: '© 2026 AP',
        focalPoint: { x: 0.25, y: 0.75 },
      });
    });
  });

  describe(`renditions (${storeName})`, () => {
    it('are cut to exactly the asked width and ratio around the focal point, kept, and served immutable', async () => {
      // The mark sits high in the picture; a centred 16:9 crop would leave it near the top edge.
      const created = await upload(t.editor, await markedPhoto(2000, 0.5, 0.3), {
        fields: { focalPoint: '0.5,0.3' },
      });
      expect(created.status).toBe(201);
      const answer = await t.anonymous.graphql(GRAPHQL_MEDIA, { id: created.body.id });
      const media = answer.data.media;

      const hero = await fetchBytes(t.url, media.hero);
      expect(hero.status).toBe(200);
      expect(hero.headers.get('content-type')).toBe('image/webp');
      expect(hero.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const heroMeta = await sharp(hero.bytes).metadata();
      expect({ format: heroMeta.format, width: heroMeta.width, height: heroMeta.height }).toEqual({
        format: 'webp',
        width: 640,
        height: 360,
      });
      const mark = await findMark(hero.bytes);
      expect(Math.abs(mark.x - 320)).toBeLessThan(6);
      expect(Math.abs(mark.y - 180)).toBeLessThan(6);

      const entries = srcsetEntries(media.heroSet);
      expect(entries.map((e) => e.width)).toEqual([320, 640, 960, 1280, 1920]);
      expect(entries[1].url).toBe(media.hero);
      for (const entry of entries) {
        const served = await fetchBytes(t.url, entry.url);
        const meta = await sharp(served.bytes).metadata();
        expect({ url: entry.url, format: meta.format, width: meta.width, height: meta.height }).toEqual({
          url: entry.url,
          format: 'webp',
          width: entry.width,
          height: Math.round((entry.width * 9) / 16),
        });
        const m = await findMark(served.bytes);
        expect(Math.abs(m.x / entry.width - 0.5)).toBeLessThan(0.01);
        expect(Math.abs(m.y / m.height - 0.5)).toBeLessThan(0.01);
      }

      // Kept once made: the same bytes again.
      const again = await fetchBytes(t.url, media.hero);
      expect(sha256(again.bytes)).toBe(sha256(hero.bytes));
    });

    it('move to new URLs when the focal point moves; the old ones are gone', async () => {
      const created = await upload(t.editor, await markedPhoto(1200, 0.5, 0.5));
      const before = (await t.anonymous.graphql(GRAPHQL_MEDIA, { id: created.body.id })).data.media;
      expect((await fetchBytes(t.url, before.hero)).status).toBe(200);
      const patched = await t.editor.patch(`/api/v1/media/${created.body.id}`, { focalPoint: '0.2,0.2' });
      expect(patched.status).toBe(200);
      expect(patched.body.focalPoint).toEqual({ x: 0.2, y: 0.2 });
      const after = (await t.anonymous.graphql(GRAPHQL_MEDIA, { id: created.body.id })).data.media;
      expect(after.hero).not.toBe(before.hero);
      expect((await fetchBytes(t.url, after.hero)).status).toBe(200);
      expectProblem(await t.anonymous.get(before.hero), 404);
    });

    it('take only the allowed widths and formats: anything else is 400', async () => {
      const created = await upload(t.editor, await plainPng(1000, 800));
      const id = created.body.id as string;
      const bad = await t.anonymous.graphql(`query ($id: ID!) { media(id: $id) { src(width: 500) } }`, {
        id,
      });
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const badRatio = await t.anonymous.graphql(
        `query ($id: ID!) { media(id: $id) { src(width: 320, ratio: "5:4") } }`,
        {
          id,
        },
      );
      expect(badRatio.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const version = (created.body.url as string).split('/')[6];
      for (const name of [
        '500.webp',
        '641.jpg',
        '640.png',
        '640.gif',
        '640-5x4.webp',
        '99999.jpg',
        'x.jpg',
      ]) {
        expectProblem(await t.anonymous.get(`/api/v1/media/${id}/renditions/${version}/${name}`), 400);
      }
      // A small picture is never enlarged: its srcset offers the widths it fills.
      expect(srcsetEntries(created.body.srcset).map((e) => e.width)).toEqual([320, 640, 960]);
    });
  });

  describe(`what an upload may be (${storeName})`, () => {
    it('is told by its bytes: SVG 415, a PNG named .jpg and sent as JPEG is a PNG, a truncated file 422, a pixel bomb 422, too many bytes 413', async () => {
      expectProblem(await uploadAnswer(t.editor, SVG, 'logo.svg', 'image/svg+xml'), 415);
      const png = await upload(t.editor, await plainPng(), {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
      });
      expect(png.status).toBe(201);
      expect(png.body).toMatchObject({ mimeType: 'image/png', width: 800, height: 600 });
      const jpeg = await markedPhoto(1000, 0.5, 0.5);
      expectProblem(
        await uploadAnswer(t.editor, jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'cut.jpg'),
        422,
      );
      const bomb = await uploadAnswer(t.editor, pngDeclaring(30_000, 30_000), 'bomb.png');
      expectProblem(bomb, 422);
      expect(bomb.body.detail).toContain('30000 × 30000');
      // Just over the limit: the form fits the route's body limit, the file does not.
      const max = t.dateline.config.media.maxBytes;
      const over = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(max - 3)]);
      expectProblem(await uploadAnswer(t.editor, over, 'big.jpg'), 413);
      expectProblem(await uploadAnswer(t.editor, Buffer.from('not a picture at all'), 'notes.txt'), 415);
    });

    it('needs an editor: anonymous 401', async () => {
      expect((await upload(t.anonymous, await plainPng())).status).toBe(401);
    });

    it('may come from a URL, fetched with a size cap and a timeout', async () => {
      const photo = await wirePhoto();
      const host = await imageHost({
        '/photo.jpg': (res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo),
        '/moved': (res) => res.writeHead(302, { location: '/photo.jpg' }).end(),
        '/huge': (res) => {
          res.writeHead(200, { 'content-type': 'image/jpeg' });
          const chunk = Buffer.alloc(1024 * 1024);
          for (let i = 0; i < 30; i++) res.write(chunk);
          res.end();
        },
        '/slow': () => undefined,
        '/gone': (res) => res.writeHead(404).end(),
      });
      try {
        const fetched = await t.editor.post('/api/v1/media', { url: host.url('/moved'), alt: 'Ferries' });
        expect(fetched.status).toBe(201);
        expect(fetched.body).toMatchObject({
          caption: WIRE_PHOTO.caption,
          alt: 'Ferries',
          bytes: photo.length,
        });
        expectProblem(await t.editor.post('/api/v1/media', { url: host.url('/huge') }), 413);
        expectProblem(await t.editor.post('/api/v1/media', { url: host.url('/slow') }), 422);
        expectProblem(await t.editor.post('/api/v1/media', { url: host.url('/gone') }), 422);
        expectProblem(await t.editor.post('/api/v1/media', { url: 'ftp://example.com/a.jpg' }), 400);
        expectProblem(await t.editor.post('/api/v1/media', { url: host.url('/photo.jpg'), extra: 1 }), 400);
      } finally {
        await host.close();
      }
    });
  });

  describe(`the library (${storeName})`, () => {
    it('lists newest first for editors, searches caption, credit and alt, and pages by keyset', async () => {
      const word = unique('harbour').replace(/-/g, '');
      const made: string[] = [];
      const forms: Record<string, string>[] = [
        { caption: `${word} at dawn` },
        { credit: `${word} Press` },
        { alt: `a ${word} crane` },
      ];
      for (const fields of forms) {
        const created = await upload(t.editor, await plainPng(400, 300), { fields });
        made.push(created.body.id);
      }
      expect((await t.anonymous.get(`/api/v1/media?q=${word}`)).status).toBe(401);
      const all = await t.editor.get(`/api/v1/media?q=${word}`);
      expect(all.body.data.map((m: { id: string }) => m.id)).toEqual([...made].reverse());
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await t.editor.get(
          `/api/v1/media?q=${word}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((m: { id: string }) => m.id));
        cursor = page.body.page.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
      expectProblem(await t.editor.get('/api/v1/media?cursor=nonsense'), 400);
      // A search's wildcards are words.
      expect((await t.editor.get(`/api/v1/media?q=${word}%25`)).body.data).toEqual([]);
    });

    it('edits and deletes: the picture and its renditions go', async () => {
      const created = await upload(t.editor, await plainPng(700, 500));
      const id = created.body.id as string;
      expect((await fetchBytes(t.url, created.body.url)).status).toBe(200);
      const patched = await t.editor.patch(`/api/v1/media/${id}`, { caption: 'New caption', credit: null });
      expect(patched.body).toMatchObject({ caption: 'New caption', credit: null });
      expectProblem(await t.editor.patch(`/api/v1/media/${id}`, { focalPoint: '2,0' }), 400);
      expect((await t.anonymous.patch(`/api/v1/media/${id}`, { caption: 'x' })).status).toBe(401);
      expect((await t.editor.delete(`/api/v1/media/${id}`)).status).toBe(204);
      expectProblem(await t.anonymous.get(`/api/v1/media/${id}`), 404);
      expectProblem(await t.anonymous.get(created.body.url), 404);
      expectProblem(await t.editor.delete(`/api/v1/media/${id}`), 404);
      expect((await t.anonymous.graphql(`query { media(id: "${id}") { id } }`)).data).toEqual({
        media: null,
      });
    });
  });

  describe(`a server under hostile uploads (${storeName})`, () => {
    const itServer = usingEmbeddedDatabase() ? it.skip : it;
    if (usingEmbeddedDatabase())
      console.log(
        'Skipping the memory test of a spawned server: the embedded PostgreSQL serves one process, and a second one (demo newsroom and all) takes longer to start on a busy machine than the test waits.',
      );
    itServer(
      'answers each with its status while its memory stays within 300 MB of where it started; remote URLs on private addresses are refused',
      async () => {
        const adminKey = 'm'.repeat(40);
        const env: Record<string, string> = { ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn', ...store.env };

        const server = await spawnServer(env);
        try {
          const client = { baseUrl: server.url, key: adminKey } as HttpClient;
          const pid = server.child.pid!;
          expect((await upload(client, await plainPng(), { filename: 'warm.png' })).status).toBe(201);
          const before = memoryOf(pid).rss;

          const statuses: Record<string, number> = {};
          statuses.svg = (
            await upload(client, SVG, { filename: 'logo.svg', contentType: 'image/svg+xml' })
          ).status;
          statuses.pngAsJpeg = (
            await upload(client, await plainPng(), { filename: 'photo.jpg', contentType: 'image/jpeg' })
          ).status;
          const jpeg = await markedPhoto(1500, 0.5, 0.5);
          statuses.truncated = (await upload(client, jpeg.subarray(0, jpeg.length >> 1))).status;
          statuses.pixelBomb = (
            await upload(client, pngDeclaring(30_000, 30_000), { filename: 'bomb.png' })
          ).status;
          const thirtyMiB = Buffer.concat([
            Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
            Buffer.alloc(30 * 1024 * 1024 - 4),
          ]);
          statuses.thirtyMiB = (
            await upload(client, thirtyMiB, { filename: 'huge.jpg' }).catch(() => ({ status: 0 }))
          ).status;
          expect(statuses).toEqual({
            svg: 415,
            pngAsJpeg: 201,
            truncated: 422,
            pixelBomb: 422,
            thirtyMiB: 413,
          });

          const after = memoryOf(pid);
          expect(Math.round((after.peak - before) / 2 ** 20)).toBeLessThan(300);

          // MEDIA_FETCH_ALLOW_PRIVATE_URLS is off by default: no fetch reaches this machine's network.
          const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
          for (const url of [
            `${server.url}/health/live`,
            'http://169.254.169.254/latest/meta-data/',
            'http://[::1]/',
          ]) {
            const res = await fetch(`${server.url}/api/v1/media`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ url }),
            });
            expect({ url, status: res.status }).toEqual({ url, status: 400 });
          }
        } finally {
          await server.stop();
        }
      },
      180_000,
    );
  });
}

async function uploadAnswer(client: HttpClient, bytes: Buffer, filename: string, contentType?: string) {
  const answer = await upload(client, bytes, { filename, contentType });
  return { status: answer.status, headers: answer.headers, body: answer.body, text: answer.text };
}
