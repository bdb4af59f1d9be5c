import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { ImportItem } from '../import-line';
import { parseImport } from './index';
import { wordpressHtml } from './wxr.parser';

async function items(): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  const file = resolve(__dirname, '../../../test/fixtures/imports/export.wxr.xml');
  for await (const item of parseImport('wxr', createReadStream(file))) out.push(item);
  return out;
}

describe('WordPress WXR', () => {
  it('maps a classic post: autop, categories as sections, tags, status, GMT date, author name', async () => {
    const [post] = await items();
    expect(post).toEqual({
      line: 1,
      externalId: 'https://gazette.example.org/?p=101',
      input: {
        externalId: 'https://gazette.example.org/?p=101',
        slug: 'ceasefire-holds',
        title: 'Classic post: “Ceasefire holds” — 휴전',
        byline: 'Choi Yu-na',
        excerpt: 'The ceasefire held overnight.',
        bodyHtml:
          '<p>First paragraph — with “quotes”.<br />\nSecond line of it.</p>\n' +
          "<script>alert('xss')</script>\n" +
          '<p>Third paragraph 한국어.</p>\n' +
          '<blockquote>Already a block</blockquote>',
        section: 'world',
        sectionName: 'World',
        sections: [{ slug: 'asia-pacific', name: 'Asia & Pacific' }],
        tags: [
          { slug: 'diplomacy', name: 'Diplomacy' },
          { slug: expect.stringMatching(/^tag-[0-9a-f]{12}$/), name: '한국' },
        ],
        status: 'published',
        publishedAt: '2026-11-28T06:00:00.000Z',
      },
    });
  });

  it('drops block-editor comments, keeps a draft without date and an invalid post_name out', async () => {
    const [, draft] = await items();
    expect(draft.input).toEqual({
      externalId: 'https://gazette.example.org/?p=102',
      title: 'Block editor post',
      byline: 'guest',
      bodyHtml:
        '<p>Hello <a href="https://example.org" onclick="steal()">block</a> world.</p>\n' +
        '<figure class="wp-block-image"><img src="https://gazette.example.org/a.jpg" alt="" onerror="alert(1)"/></figure>',
      status: 'draft',
    });
  });

  it('schedules future posts, skips pages, attachments and menu items, and reports untitled posts', async () => {
    const all = await items();
    expect(all[2].input).toMatchObject({ status: 'scheduled', publishedAt: '2027-01-01T00:00:00.000Z' });
    expect(all.slice(3, 6)).toEqual([
      { line: 4, externalId: 'https://gazette.example.org/?page_id=2', skipped: true },
      { line: 5, externalId: 'https://gazette.example.org/wp-content/uploads/photo.jpg', skipped: true },
      { line: 6, externalId: 'https://gazette.example.org/?p=9', skipped: true },
    ]);
    expect(all[6]).toEqual({
      line: 7,
      externalId: 'https://gazette.example.org/?p=104',
      error: 'title: must not be empty',
    });
  });

  it('turns classic double newlines into paragraphs', () => {
    expect(wordpressHtml('One\n\nTwo\nthree')).toBe('<p>One</p>\n<p>Two<br />\nthree</p>');
    expect(wordpressHtml('<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->')).toBe('<p>A</p>');
    expect(wordpressHtml('   ')).toBeUndefined();
  });
});
