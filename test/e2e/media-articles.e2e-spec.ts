import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { expectProblem } from '../support/http-client';
import { ndjson, postImport } from '../support/imports';
import { findMark, markedPhoto, WIRE_PHOTO, wirePhoto } from '../support/media-images';
import { fetchBytes, srcsetEntries, upload } from '../support/media-suite';
import { startTestApp, testConfig, unique, type TestApp } from '../support/test-app';

const PAGE = `query ($slug: String!) {
  article(slug: $slug) {
    title
    heroImage {
      url alt caption credit width height
      media {
        id
        hero: src(width: 640, format: WEBP, ratio: "16:9")
        heroSet: srcset(format: WEBP, ratio: "16:9")
      }
    }
  }
}`;

describe('articles with pictures from the media library', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The picture host of the import tests is on loopback.
    t = await startTestApp({ media: { ...testConfig().media, fetchAllowPrivateUrls: true } });
  });
  afterAll(() => t?.close());

  const publish = (fields: Record<string, unknown>) =>
    t.editor.post('/api/v1/articles', {
      title: `Ferries return ${unique('')}`,
      body: [{ type: 'paragraph', text: 'The port reopened at dawn.' }],
      status: 'published',
      ...fields,
    });

  it('a hero image given as a media id renders, in one GraphQL query, a 640 WebP 16:9 src and a srcset cut around the focal point', async () => {
    // The mark sits high in the picture; a centred 16:9 crop would leave it near the top edge.
    const media = await upload(t.editor, await markedPhoto(2000, 0.5, 0.3), {
      fields: { focalPoint: '0.5,0.3', credit: 'Lee Joon / AP' },
    });
    expect(media.status).toBe(201);
    const created = await publish({ heroImage: { media: media.body.id, alt: 'Ferries at the quay' } });
    expect(created.status).toBe(201);

    const page = await t.anonymous.graphql(PAGE, { slug: created.body.slug });
    expect(page.errors).toBeUndefined();
    const hero = page.data.article.heroImage;
    expect(hero).toMatchObject({
      url: media.body.url,
      alt: 'Ferries at the quay',
      credit: 'Lee Joon / AP',
      width: 1920,
      height: 1920,
      media: { id: media.body.id },
    });

    const src = await fetchBytes(t.url, hero.media.hero);
    expect(src.status).toBe(200);
    const meta = await sharp(src.bytes).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: 640,
      height: 360,
    });
    const mark = await findMark(src.bytes);
    expect(Math.abs(mark.x - 320)).toBeLessThan(6);
    expect(Math.abs(mark.y - 180)).toBeLessThan(6);

    const entries = srcsetEntries(hero.media.heroSet);
    expect(entries.map((e) => e.width)).toEqual([320, 640, 960, 1280, 1920]);
    for (const entry of entries) {
      const served = await fetchBytes(t.url, entry.url);
      const m = await sharp(served.bytes).metadata();
      expect({ width: m.width, height: m.height }).toEqual({
        width: entry.width,
        height: Math.round((entry.width * 9) / 16),
      });
      const at = await findMark(served.bytes);
      expect(Math.abs(at.y / at.height - 0.5)).toBeLessThan(0.01);
    }
  });

  it("REST shows the library's caption and credit where the article leaves them empty, the media id, and a URL that answers the picture without its GPS position", async () => {
    const media = await upload(t.editor, await wirePhoto(), { contentType: 'image/jpeg' });
    expect(media.status).toBe(201);
    const created = await publish({ heroImage: { media: media.body.id.toUpperCase() } });
    expect(created.status).toBe(201);

    const read = await t.anonymous.get(`/api/v1/articles/${created.body.slug}`);
    expect(read.status).toBe(200);
    expect(read.body.heroImage).toEqual({
      media: media.body.id,
      url: media.body.url,
      alt: null,
      caption: WIRE_PHOTO.caption,
      credit: `${WIRE_PHOTO.byline} / ${WIRE_PHOTO.credit}`,
      width: 1920,
      height: 1280,
    });
    expect(read.text).not.toContain(String(WIRE_PHOTO.latitude));
    const picture = await fetchBytes(t.url, read.body.heroImage.url);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/jpeg');
    // The open web gets it whole: structured data and feed enclosures name an absolute URL.
    const absolute = new URL(media.body.url, 'http://localhost:3000/').href;
    expect(read.body.jsonLd.image).toEqual([absolute]);
    const feed = await t.anonymous.get('/api/v1/feeds/latest.rss');
    expect(feed.status).toBe(200);
    expect(feed.text).toContain(`url="${absolute}"`);
    // A picture by URL answers as before, with no media.
    const byUrl = await publish({ heroImage: { url: 'https://img.example.org/h.jpg', alt: 'Hero' } });
    expect(byUrl.body.heroImage).toEqual({
      url: 'https://img.example.org/h.jpg',
      alt: 'Hero',
      caption: null,
      credit: null,
      width: null,
      height: null,
      media: null,
    });
  });

  it('a media id the library does not have, or a hero with both or neither of url and media, is refused on every transport and nothing is stored', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    const title = `Nothing stored ${unique('')}`;
    const rest = await t.editor.post('/api/v1/articles', { title, heroImage: { media: missing } });
    expectProblem(rest, 400);
    expect(rest.body.errors).toEqual([
      { path: 'heroImage.media', message: `no media ${missing} in the library` },
    ]);

    const gql = await t.editor.graphql(
      `mutation ($input: ArticleInput!) { createArticle(input: $input) { id } }`,
      { input: { title, heroImage: { media: missing } } },
    );
    expect(gql.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(gql.errors?.[0].extensions)).toContain('heroImage.media');

    const both = await t.editor.post('/api/v1/articles', {
      title,
      heroImage: { media: missing, url: 'https://img.example.org/h.jpg' },
    });
    expectProblem(both, 400);
    expect(both.body.errors).toEqual([{ path: 'heroImage.media', message: 'cannot be given with url' }]);
    const neither = await t.editor.post('/api/v1/articles', { title, heroImage: { alt: 'Nothing' } });
    expectProblem(neither, 400);
    expect(neither.body.errors).toEqual([
      { path: 'heroImage.url', message: 'is required unless media is given' },
    ]);

    const run = unique('media-import');
    const imported = await postImport(
      t.editor,
      ndjson([
        { externalId: `${run}-1`, title: 'Kept', status: 'published' },
        { externalId: `${run}-2`, title: 'Refused', heroImage: { media: missing } },
      ]),
      'application/x-ndjson',
    );
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 1, failed: 1 });
    expect(imported.body.errors).toEqual([
      {
        line: 2,
        externalId: `${run}-2`,
        message: expect.stringContaining(`heroImage.media: no media ${missing}`),
      },
    ]);
    const stored = await t.editor.get(`/api/v1/articles?q=${encodeURIComponent(title)}`);
    expect(stored.body.data ?? []).toEqual([]);
  });

  it("follows the library: a moved focal point gives the article's hero new URLs at once; a media item in use is 409 to delete, and forced away the hero is gone", async () => {
    const media = await upload(t.editor, await markedPhoto(1200, 0.5, 0.5));
    const created = await publish({ heroImage: { media: media.body.id } });
    const path = `/api/v1/articles/${created.body.slug}`;
    const before = (await t.anonymous.get(path)).body.heroImage.url;
    expect((await t.anonymous.get(path)).body.heroImage.url).toBe(before); // now cached

    const patched = await t.editor.patch(`/api/v1/media/${media.body.id}`, { focalPoint: '0.2,0.2' });
    expect(patched.status).toBe(200);
    const after = (await t.anonymous.get(path)).body.heroImage.url;
    expect(after).toBe(patched.body.url);
    expect(after).not.toBe(before);
    expect((await fetchBytes(t.url, after)).status).toBe(200);
    expect((await fetchBytes(t.url, before)).status).toBe(404);

    const refused = await t.editor.delete(`/api/v1/media/${media.body.id}`);
    expectProblem(refused, 409);
    expect(refused.body.articles).toEqual([created.body.slug]);
    expect((await t.editor.delete(`/api/v1/media/${media.body.id}?force=true`)).status).toBe(204);
    const gone = await t.anonymous.get(path);
    expect(gone.status).toBe(200);
    expect(gone.body.heroImage).toBeNull();
  });

  it('every stored change to the library is in the audit log, with its actor and request id', async () => {
    const created = await upload(t.editor, await markedPhoto(800, 0.5, 0.5));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await t.editor.patch(`/api/v1/media/${id}`, { caption: 'At the quay' })).status).toBe(200);
    expect((await t.editor.delete(`/api/v1/media/${id}`)).status).toBe(204);
    const log = await t.admin.get(`/api/v1/audit?entityType=media&entityId=${id}`);
    expect(log.status).toBe(200);
    expect(log.body.data.map((e: { action: string }) => e.action)).toEqual([
      'media.delete',
      'media.update',
      'media.create',
    ]);
    for (const entry of log.body.data)
      expect(entry).toMatchObject({
        actor: { type: 'key', role: 'editor' },
        entityType: 'media',
        entityId: id,
        requestId: expect.any(String),
      });
    expect(log.body.data[1].summary).toBe('changed caption');
  });

  describe('imports with pictures', () => {
    let host: Server;
    let base: string;
    let requests: string[];
    beforeAll(async () => {
      const photo = await wirePhoto();
      requests = [];
      host = createServer((req, res) => {
        requests.push(req.url ?? '');
        if (req.url === '/ferries.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
      const address = host.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => host.close(() => r())));

    const feed = (run: string) => `<?xml version="1.0"?>
      <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Wire</title>
        <item><guid>${run}-1</guid><title>Ferries return ${run}</title><description>Text</description>
          <media:content url="${base}/ferries.jpg" medium="image" width="2400" height="1600">
            <media:credit>Feed credit</media:credit>
          </media:content>
        </item>
        <item><guid>${run}-2</guid><title>Same picture ${run}</title><description>Text</description>
          <enclosure url="${base}/ferries.jpg" type="image/jpeg" length="1"/>
        </item>
        <item><guid>${run}-3</guid><title>Lost picture ${run}</title><description>Text</description>
          <enclosure url="${base}/gone.jpg" type="image/jpeg" length="1"/>
        </item>
      </channel></rss>`;
    const heroOf = async (externalId: string) => {
      const rows: { slug: string }[] = await t.dateline.app
        .get(DataSource)
        .query(`SELECT slug FROM articles WHERE external_id = $1`, [externalId]);
      return (await t.editor.get(`/api/v1/articles/${rows[0].slug}`)).body.heroImage;
    };

    it('without fetchMedia a feed picture stays a remote image with its metadata', async () => {
      const run = unique('remote');
      const imported = await postImport(t.editor, feed(run), 'application/rss+xml');
      expect(imported.body).toMatchObject({ created: 3, failed: 0 });
      expect(await heroOf(`${run}-1`)).toMatchObject({
        url: `${base}/ferries.jpg`,
        credit: 'Feed credit',
        width: 2400,
        media: null,
      });
    });

    it('with fetchMedia=true each picture is fetched once into the library, used again by the next import, and one that cannot be fetched stays remote with a note', async () => {
      const run = unique('fetched');
      requests.length = 0;
      const first = await postImport(t.editor, feed(run), 'application/rss+xml', '?fetchMedia=true');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ created: 3, failed: 0 });
      expect(first.body.notes).toEqual([
        {
          line: 3,
          externalId: `${run}-3`,
          message: expect.stringMatching(
            /^heroImage: .*gone\.jpg was not brought into the media library .*; kept as a remote image$/,
          ),
        },
      ]);
      const one = await heroOf(`${run}-1`);
      const two = await heroOf(`${run}-2`);
      expect(one).toMatchObject({
        media: expect.stringMatching(/^[0-9a-f-]{36}$/),
        url: expect.stringMatching(/^\/api\/v1\/media\//),
        // The feed's credit is kept over the photo's own; its caption comes from the photo (IPTC).
        credit: 'Feed credit',
        caption: WIRE_PHOTO.caption,
      });
      expect(two.media).toBe(one.media);
      expect(await heroOf(`${run}-3`)).toMatchObject({ url: `${base}/gone.jpg`, media: null });
      expect(requests.filter((r) => r === '/ferries.jpg')).toHaveLength(1);
      expect((await fetchBytes(t.url, one.url)).status).toBe(200);

      // The same feed again: the library's picture is found by its URL, nothing changes.
      const again = await postImport(t.editor, feed(run), 'application/rss+xml', '?fetchMedia=true');
      expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 0 });
      expect(requests.filter((r) => r === '/ferries.jpg')).toHaveLength(1);
      expect((await heroOf(`${run}-1`)).media).toBe(one.media);
    });
  });
});
