import { expectProblem } from '../support/http-client';
import { getExport, ndjson, postImport } from '../support/imports';
import { withScratchDatabase } from '../support/scratch-database';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('GET /exports/articles: NDJSON in the import format, streamed', () => {
  let t: TestApp;
  let section: string;
  const slugs: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    section = unique('exp-sec');
    const other = unique('exp-other');
    await t.editor.post('/api/v1/sections', { slug: section, name: 'Export Désk' });
    await t.editor.post('/api/v1/sections', { slug: other, name: 'Other Desk' });
    const a = unique('a-exp');
    const b = unique('b-exp');
    const c = unique('c-exp');
    slugs.push(a, b, c);
    const lines = [
      {
        slug: a,
        externalId: unique('ext'),
        title: 'First — naïve',
        subtitle: 'Sub',
        byline: 'A. Writer',
        dateline: 'PARIS',
        source: 'Wire',
        bodyHtml:
          '<h2>Head</h2><p>Text with <a href="https://example.com">a link</a>.</p><ul><li>one</li></ul>',
        section,
        sections: [other],
        tags: [{ slug: unique('tag'), name: 'Tag Náme' }],
        status: 'published',
        publishedAt: '2026-03-04T05:06:07.000Z',
        heroImage: { url: 'https://img.example.com/a.jpg', alt: 'An image', width: 800 },
      },
      {
        slug: b,
        title: 'Second',
        bodyText: 'Plain text body.\n\nSecond paragraph.',
        excerpt: 'A hand-written excerpt',
        section,
        relatedArticles: [a],
        status: 'draft',
      },
      {
        slug: c,
        title: 'Third, scheduled',
        body: [{ type: 'quote', text: 'Quoted', cite: 'Someone' }],
        section,
        status: 'scheduled',
        publishedAt: '2099-01-01T00:00:00.000Z',
      },
    ];
    const made = await postImport(t.editor, ndjson(lines), 'application/x-ndjson');
    expect(made.body).toMatchObject({ created: 3, failed: 0 });
  });
  afterAll(() => t.close());

  it('exports a section one line per article, filtered by status and updatedSince; editors only', async () => {
    const all = await getExport(t.editor, `?section=${section}`);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toContain('application/x-ndjson');
    expect(all.headers.get('cache-control')).toBe('private, no-store');
    const lines = all.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.slug)).toEqual(slugs);
    expect(lines[0]).toMatchObject({
      title: 'First — naïve',
      section,
      sectionName: 'Export Désk',
      tags: [{ name: 'Tag Náme' }],
      heroImage: { url: 'https://img.example.com/a.jpg', alt: 'An image', width: 800 },
      publishedAt: '2026-03-04T05:06:07.000Z',
      status: 'published',
    });
    expect(lines[1]).toMatchObject({ relatedArticles: [slugs[0]], excerpt: 'A hand-written excerpt' });
    expect(lines[0].reactions).toBeUndefined();

    const drafts = await getExport(t.editor, `?section=${section}&status=draft`);
    expect(
      drafts.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).slug),
    ).toEqual([slugs[1]]);
    const none = await getExport(t.editor, `?section=${section}&updatedSince=2999-01-01T00:00:00Z`);
    expect(none.text).toBe('');
    expect((await getExport(t.anonymous)).status).toBe(401);
    expectProblem(await t.editor.get('/api/v1/exports/articles?updatedSince=yesterday'), 400);
    expect((await getExport(t.editor, `?section=${unique('none')}`)).status).toBe(404);
  });

  it('export → import into a fresh database → export: the same bytes', async () => {
    const first = (await getExport(t.editor, `?section=${section}`)).text;
    await withScratchDatabase(async (databaseUrl) => {
      const fresh = await startTestApp({ databaseUrl });
      try {
        const imported = await postImport(
          fresh.editor,
          first,
          'application/x-ndjson',
          '?createSections=true',
        );
        expect(imported.body).toMatchObject({ created: 3, failed: 0 });
        const second = (await getExport(fresh.editor, `?section=${section}`)).text;
        expect(second).toBe(first);
        const again = await postImport(fresh.editor, second, 'application/x-ndjson');
        expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
      } finally {
        await fresh.close();
      }
    });
  });
});
