import { Readable } from 'node:stream';
import type { ImportItem } from '../import-line';
import { parseImport, type ImportFormat } from './index';

async function heroes(format: ImportFormat, document: string): Promise<unknown[]> {
  const items: ImportItem[] = [];
  for await (const item of parseImport(format, Readable.from([Buffer.from(document)]))) items.push(item);
  return items.map((i) => i.input?.heroImage);
}

describe("a story's picture in each import format becomes its hero image, with its metadata", () => {
  it('RSS: the widest Media RSS image (with its description and credit), else an image enclosure', async () => {
    const rss = `<?xml version="1.0"?>
      <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Wire</title>
        <item><guid>a</guid><title>With media:content</title>
          <media:content url="https://img.example.org/small.jpg" medium="image" width="320" height="213"/>
          <media:content url="https://img.example.org/large.jpg" type="image/jpeg" width="1600" height="1067">
            <media:description>Ferries leave Incheon at dawn</media:description>
            <media:credit role="photographer">Min-ji Park / AP</media:credit>
          </media:content>
          <media:content url="https://video.example.org/clip.mp4" type="video/mp4" width="3840"/>
        </item>
        <item><guid>b</guid><title>With an enclosure</title>
          <enclosure url="https://img.example.org/e.png" type="image/png" length="1234"/>
        </item>
        <item><guid>c</guid><title>With a podcast only</title>
          <enclosure url="https://audio.example.org/a.mp3" type="audio/mpeg" length="1"/>
        </item>
      </channel></rss>`;
    expect(await heroes('rss', rss)).toEqual([
      {
        url: 'https://img.example.org/large.jpg',
        caption: 'Ferries leave Incheon at dawn',
        credit: 'Min-ji Park / AP',
        width: 1600,
        height: 1067,
      },
      { url: 'https://img.example.org/e.png' },
      undefined,
    ]);
  });

  it('Atom: an image enclosure link', async () => {
    const atom = `<?xml version="1.0"?>
      <feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:feed</id><updated>2026-12-01T00:00:00Z</updated>
        <entry><id>urn:1</id><title>One</title><updated>2026-12-01T00:00:00Z</updated>
          <link rel="alternate" type="text/html" href="https://news.example.org/one"/>
          <link rel="enclosure" type="image/webp" href="https://img.example.org/one.webp"/>
        </entry>
      </feed>`;
    expect(await heroes('atom', atom)).toEqual([{ url: 'https://img.example.org/one.webp' }]);
  });

  it('ninjs 2.x and 3.x: the feature picture among associations, its widest rendition, caption and by-line', async () => {
    const v2 = {
      uri: 'urn:ninjs:2',
      type: 'text',
      headline: 'Storm passes',
      body_html: '<p>Text</p>',
      associations: [
        { name: 'graphic', type: 'graphic', uri: 'https://img.example.org/chart.png' },
        {
          name: 'featureimage',
          type: 'picture',
          uri: 'urn:picture:1',
          description_text: 'Boats return to the harbour',
          byline: 'Lee Joon',
          renditions: {
            thumbnail: { href: 'https://img.example.org/p1-thumb.jpg', width: 200, height: 133 },
            original: { href: 'https://img.example.org/p1.jpg', width: 3000, height: 2000 },
          },
        },
      ],
    };
    const v3 = {
      uri: 'urn:ninjs:3',
      type: 'text',
      headlines: [{ role: 'main', value: 'Port reopens' }],
      bodies: [{ contentType: 'text/plain', value: 'Text' }],
      associations: [
        {
          name: 'picture1',
          type: 'picture',
          uri: 'https://img.example.org/p2-uri.jpg',
          headlines: [{ value: 'The quay at noon' }],
          copyrightHolder: 'AP',
          renditions: [
            { name: 'preview', href: 'https://img.example.org/p2-640.jpg', width: 640, height: 427 },
            { name: 'highres', href: 'https://img.example.org/p2-2400.jpg', width: 2400, height: 1600 },
          ],
        },
      ],
    };
    expect(await heroes('ninjs', JSON.stringify([v2, v3]))).toEqual([
      {
        url: 'https://img.example.org/p1.jpg',
        caption: 'Boats return to the harbour',
        credit: 'Lee Joon',
        width: 3000,
        height: 2000,
      },
      {
        url: 'https://img.example.org/p2-2400.jpg',
        caption: 'The quay at noon',
        credit: 'AP',
        width: 2400,
        height: 1600,
      },
    ]);
  });

  it("WordPress: a post's featured image (_thumbnail_id) is its attachment, with the alt text and caption", async () => {
    const wxr = `<?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
           xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
           xmlns:wp="http://wordpress.org/export/1.2/"><channel>
        <title>Site</title><link>https://news.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
        <wp:base_site_url>https://news.example.org</wp:base_site_url>
        <item><title>harbour</title><wp:post_id>42</wp:post_id><wp:post_type>attachment</wp:post_type>
          <excerpt:encoded><![CDATA[Ferries at <em>dawn</em>]]></excerpt:encoded>
          <wp:attachment_url>https://news.example.org/wp-content/uploads/2026/12/harbour.jpg</wp:attachment_url>
          <wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Two ferries at the quay</wp:meta_value></wp:postmeta>
        </item>
        <item><title>map</title><wp:post_id>43</wp:post_id><wp:post_type>attachment</wp:post_type>
          <wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2026/12/map.png</wp:meta_value></wp:postmeta>
        </item>
        <item><title>Harbour reopens</title><guid>https://news.example.org/?p=7</guid><wp:post_id>7</wp:post_id>
          <wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[<p>Text</p>]]></content:encoded>
          <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>42</wp:meta_value></wp:postmeta>
        </item>
        <item><title>Map of the coast</title><guid>https://news.example.org/?p=8</guid><wp:post_id>8</wp:post_id>
          <wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[<p>Text</p>]]></content:encoded>
          <wp:postmeta><wp:meta_key>_edit_last</wp:meta_key><wp:meta_value>1</wp:meta_value></wp:postmeta>
          <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>43</wp:meta_value></wp:postmeta>
        </item>
        <item><title>No picture</title><guid>https://news.example.org/?p=9</guid><wp:post_id>9</wp:post_id>
          <wp:post_type>post</wp:post_type><wp:status>publish</wp:status><content:encoded><![CDATA[<p>Text</p>]]></content:encoded>
        </item>
      </channel></rss>`;
    expect(await heroes('wxr', wxr)).toEqual([
      undefined,
      undefined,
      {
        url: 'https://news.example.org/wp-content/uploads/2026/12/harbour.jpg',
        alt: 'Two ferries at the quay',
        caption: 'Ferries at dawn',
      },
      { url: 'https://news.example.org/wp-content/uploads/2026/12/map.png' },
      undefined,
    ]);
  });
});
