import { toSiteItem, validateImportLine } from './import-line';

function errors(value: unknown): string[] {
  const result = validateImportLine(value);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('validateImportLine', () => {
  it('accepts a full Article input and normalises it', () => {
    const result = validateImportLine({
      externalId: ' wire-1 ',
      slug: 'seoul-summit',
      title: '  Seoul summit  ',
      subtitle: null,
      dateline: 'SEOUL, South Korea',
      byline: 'Kim Min-ji',
      source: 'AP',
      excerpt: 'Short.',
      body: [
        { type: 'paragraph', text: 'Hello <b>world</b>' },
        { type: 'heading', level: 2, text: 'Sub' },
        { type: 'quote', text: 'Q', cite: 'Someone' },
        { type: 'list', ordered: false, items: ['a', 'b'] },
        { type: 'image', url: 'https://img.example.org/a.jpg', alt: 'A' },
        { type: 'embed', url: 'https://www.youtube.com/watch?v=x', provider: 'youtube' },
      ],
      section: 'world',
      sectionName: 'World',
      sections: ['asia'],
      tags: ['politics', { slug: 'korea', name: 'Korea' }],
      heroImage: { url: 'https://img.example.org/h.jpg', alt: 'Hero', width: 1200, height: 800 },
      status: 'scheduled',
      publishedAt: '2026-12-01T09:00:00+09:00',
      relatedArticles: ['other-story'],
      reactions: [{ type: 'veryGood', count: 12 }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input).toMatchObject({
      externalId: 'wire-1',
      title: 'Seoul summit',
      sections: [{ slug: 'asia' }],
      tags: [{ slug: 'politics' }, { slug: 'korea', name: 'Korea' }],
      heroImage: { url: 'https://img.example.org/h.jpg', alt: 'Hero', width: 1200, height: 800 },
      publishedAt: '2026-12-01T00:00:00.000Z',
    });
    expect('subtitle' in result.input).toBe(false);
  });

  it('names read-only and unknown fields', () => {
    expect(
      errors({ title: 'x', id: 'a', createdAt: 'b', updatedAt: 'c', viewCount: 1, extra: true }),
    ).toEqual([
      'id: is read-only',
      'createdAt: is read-only',
      'updatedAt: is read-only',
      'viewCount: is read-only',
      'extra: is not a known field',
    ]);
    expect(errors({ title: 'x', heroImage: { url: 'https://a.example/x.jpg', size: 3 } })).toEqual([
      'heroImage.size: is not a known field',
    ]);
  });

  it('requires a non-empty title', () => {
    expect(errors({})).toEqual(['title: is required']);
    expect(errors({ title: '   ' })).toEqual(['title: must not be empty']);
    expect(errors({ title: 42 })).toEqual(['title: must be a string']);
    // The words of the one article schema, the same as POST /articles and GraphQL give.
    expect(errors({ title: 'x', body: 'text' })).toEqual(['body: must be a list']);
    expect(errors({ title: 'x', body: [{ type: 'list', ordered: true }] })).toEqual([
      'body.0.items: is required',
    ]);
  });

  it('checks slugs, statuses, dates, blocks and URLs', () => {
    expect(errors({ title: 'x', slug: 'Not A Slug' })).toEqual([
      'slug: must be lower-case letters, digits and single hyphens',
    ]);
    expect(errors({ title: 'x', status: 'live' })[0]).toMatch(/^status: /);
    expect(errors({ title: 'x', publishedAt: 'yesterday' })).toEqual([
      'publishedAt: must be an ISO-8601 date-time with a time zone',
    ]);
    expect(errors({ title: 'x', body: [{ type: 'heading', level: 1, text: 'h' }] })[0]).toMatch(
      /^body\.0\.level: /,
    );
    expect(errors({ title: 'x', body: [{ type: 'video', url: 'https://a' }] })[0]).toMatch(
      /^body\.0\.type: /,
    );
    expect(errors({ title: 'x', body: [{ type: 'image', url: 'javascript:alert(1)', alt: '' }] })).toEqual([
      'body.0.url: must be an http(s) URL',
    ]);
    expect(errors({ title: 'x', body: [{ type: 'paragraph', text: 'p', style: 'bold' }] })).toEqual([
      'body.0.style: is not a known field',
    ]);
    expect(errors({ title: 'x', reactions: [{ type: 'veryGood', count: -1 }] })[0]).toMatch(
      /^reactions\.0\.count: /,
    );
  });

  it('accepts only one kind of body', () => {
    expect(errors({ title: 'x', bodyHtml: '<p>a</p>', bodyText: 'a' })).toEqual([
      'bodyText: give only one of bodyHtml, bodyText',
    ]);
  });
});

describe('NUL characters in an import line', () => {
  it('fail the line with the path of the first one, articles and site lines alike', () => {
    expect(validateImportLine({ title: 'a\u0000b', bodyText: 'x' })).toEqual({
      ok: false,
      errors: [{ path: 'title', message: 'must not contain NUL (\\u0000) characters' }],
    });
    expect(toSiteItem(3, { title: 'ok', body: [{ type: 'paragraph', text: '\u0000' }] })).toMatchObject({
      line: 3,
      error: 'body.0.text: must not contain NUL (\\u0000) characters',
    });
    expect(toSiteItem(4, { kind: 'section', slug: 'world', name: 'Wor\u0000ld' })).toEqual({
      line: 4,
      error: 'name: must not contain NUL (\\u0000) characters',
    });
    expect(toSiteItem(5, { kind: 'ranking', slug: 'top', title: 'Top', articles: ['a\u0000'] })).toEqual({
      line: 5,
      error: 'articles.0: must not contain NUL (\\u0000) characters',
    });
  });
});
