import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpClient } from '../support/http-client';
import { getExport, postImport } from '../support/imports';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { runNode } from '../support/spawned-server';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Moving a site: an export carries the section tree and the curated rankings as well as the
 * articles, so that importing it into an empty database rebuilds what readers see, and an
 * export of that database is the same file again.
 */
describe('a site export moves a whole site', () => {
  let source: ScratchDatabase;
  let site: TestApp;
  const slugs = ['korea-vote', 'film-review', 'korea-follow-up', 'desk-draft', 'next-year'];

  beforeAll(async () => {
    source = await createScratchDatabase();
    site = await startTestApp({ databaseUrl: source.url });
    const ed = site.editor;
    for (const s of [
      { slug: 'world', name: 'World', description: 'News from abroad' },
      { slug: 'asia-pacific', name: 'Asia-Pacific', parent: 'world' },
      { slug: 'korea', name: 'Korea', parent: 'asia-pacific', description: 'Both Koreas' },
      { slug: 'reviews', name: 'Reviews' },
    ])
      expect((await ed.post('/api/v1/sections', s)).status).toBe(201);
    const made = [
      {
        slug: slugs[0],
        title: 'South Korea votes',
        dateline: 'SEOUL, South Korea',
        source: 'AP',
        bodyText: 'Polls opened.',
        section: 'korea',
        sections: ['reviews'],
        tags: ['elections', 'seoul'],
        status: 'published',
        publishedAt: '2026-04-10T06:00:00.000Z',
      },
      {
        slug: slugs[1],
        title: 'A film review',
        bodyText: 'Four stars.',
        section: 'reviews',
        status: 'published',
      },
      {
        slug: slugs[2],
        title: 'After the vote',
        bodyText: 'Results.',
        section: 'korea',
        tags: ['elections'],
        relatedArticles: [slugs[0]],
        status: 'published',
        publishedAt: '2026-04-11T06:00:00.000Z',
      },
      { slug: slugs[3], title: 'Not ready yet', bodyText: 'Draft.', section: 'asia-pacific' },
      {
        slug: slugs[4],
        title: 'Scheduled',
        bodyText: 'Later.',
        status: 'scheduled',
        publishedAt: '2099-01-01T00:00:00.000Z',
      },
      { slug: 'to-the-trash', title: 'Trashed', bodyText: 'Gone.' },
    ];
    for (const a of made) expect((await ed.post('/api/v1/articles', a)).status).toBe(201);
    // The oldest story pins a newer one: the import meets the pin before the article it names.
    expect((await ed.patch(`/api/v1/articles/${slugs[0]}`, { relatedArticles: [slugs[2]] })).status).toBe(
      200,
    );
    expect((await ed.delete('/api/v1/articles/to-the-trash')).status).toBe(204);
    for (const [slug, members] of [
      ['editors-picks', [slugs[2], slugs[0], slugs[3]]],
      ['empty-list', []],
    ] as const)
      expect(
        (await ed.put(`/api/v1/rankings/${slug}`, { title: `List ${slug}`, articles: members })).status,
      ).toBe(200);
  });
  afterAll(async () => {
    await site.close();
    await source.drop();
  });

  /** What readers see of the site, as an editor reads it: breadcrumbs, tags, pins, rankings. */
  async function whatReadersSee(client: HttpClient) {
    const articles: unknown[] = [];
    for (const slug of slugs) {
      const { body } = await client.get(`/api/v1/articles/${slug}`);
      articles.push({
        slug,
        status: body.status,
        publishedAt: body.publishedAt,
        breadcrumb: body.breadcrumb.map((s: { slug: string; name: string }) => `${s.slug}:${s.name}`),
        sections: body.sections.map((s: { slug: string }) => s.slug),
        tags: body.tags,
        related: body.relatedArticles.map((r: { slug: string }) => r.slug),
        bodyHtml: body.bodyHtml,
      });
    }
    const sections = (await client.get('/api/v1/sections')).body;
    const rankings: unknown[] = [];
    for (const slug of ['editors-picks', 'empty-list']) {
      const { body } = await client.get(`/api/v1/rankings/${slug}`);
      rankings.push({
        title: body.title,
        members: body.data.map((d: { article: { slug: string } }) => d.article.slug),
      });
    }
    // Ids differ between the two databases by design.
    const withoutIds = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(withoutIds)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v).flatMap(([k, x]) => (k === 'id' ? [] : [[k, withoutIds(x)]])),
            )
          : v;
    return { articles, sections: withoutIds(sections.data), rankings };
  }

  it('lists sections (parents first), articles (oldest first, without the trash), then rankings', async () => {
    const lines = (await getExport(site.editor)).text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.slice(0, 4)).toEqual([
      { kind: 'section', slug: 'reviews', name: 'Reviews' },
      { kind: 'section', slug: 'world', name: 'World', description: 'News from abroad' },
      { kind: 'section', slug: 'asia-pacific', name: 'Asia-Pacific', parent: 'world' },
      { kind: 'section', slug: 'korea', name: 'Korea', description: 'Both Koreas', parent: 'asia-pacific' },
    ]);
    expect(lines.slice(4, 9).map((l) => [l.kind, l.slug])).toEqual(slugs.map((s) => [undefined, s]));
    expect(lines.slice(9)).toEqual([
      {
        kind: 'ranking',
        slug: 'editors-picks',
        title: 'List editors-picks',
        articles: [slugs[2], slugs[0], slugs[3]],
      },
      { kind: 'ranking', slug: 'empty-list', title: 'List empty-list', articles: [] },
    ]);
    for (const l of lines) {
      expect(l.id).toBeUndefined();
      expect(l.version).toBeUndefined();
    }
  });

  it('GET /exports/articles → POST /imports into an empty database → the same file and the same site', async () => {
    const first = (await getExport(site.editor)).text;
    const target = await createScratchDatabase();
    const moved = await startTestApp({ databaseUrl: target.url });
    try {
      const imported = await postImport(moved.editor, first, 'application/x-ndjson');
      expect(imported.body).toMatchObject({
        created: 4 + 5 + 2,
        updated: 0,
        unchanged: 0,
        failed: 0,
        errors: [],
      });
      expect((await getExport(moved.editor)).text).toBe(first);
      expect(await whatReadersSee(moved.editor)).toEqual(await whatReadersSee(site.editor));

      const again = await postImport(moved.editor, first, 'application/x-ndjson');
      expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 11, failed: 0 });
    } finally {
      await moved.close();
      await target.drop();
    }
  });

  it('cms export FILE → cms import FILE on an empty database → the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-move-'));
    const target = await createScratchDatabase();
    try {
      const cms = (db: string, args: string[]) => runNode('dist/cli/main.js', args, { DATABASE_URL: db });
      const exported = await cms(source.url, ['export', join(dir, 'site.ndjson')]);
      expect(exported.stderr).toBe('');
      expect(exported.status).toBe(0);
      expect((await cms(target.url, ['migrate'])).status).toBe(0);
      const imported = await cms(target.url, ['import', join(dir, 'site.ndjson'), '--json']);
      expect(imported.status).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ created: 11, failed: 0 });
      expect((await cms(target.url, ['export', join(dir, 'again.ndjson')])).status).toBe(0);
      expect(readFileSync(join(dir, 'again.ndjson'), 'utf8')).toBe(
        readFileSync(join(dir, 'site.ndjson'), 'utf8'),
      );

      const moved = await startTestApp({ databaseUrl: target.url });
      try {
        expect(await whatReadersSee(moved.editor)).toEqual(await whatReadersSee(site.editor));
      } finally {
        await moved.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.drop();
    }
  }, 180_000); // four command-line runs, each a Node start-up
});

describe('site lines in an import', () => {
  let t: TestApp;
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await createScratchDatabase();
    t = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('refuses a bad section or ranking line alone, naming the field; a dry run writes none', async () => {
    const body = [
      { kind: 'section', slug: 'top', name: 'Top' },
      { kind: 'section', slug: 'orphan', name: 'Orphan', parent: 'nowhere' },
      { kind: 'section', slug: 'Bad Slug', name: 'x' },
      { kind: 'gallery', slug: 'x' },
      { title: 'Pins later', slug: 'pins-later', relatedArticles: ['comes-later'], bodyText: 'x' },
      { title: 'Pins nothing', slug: 'pins-nothing', relatedArticles: ['never-there'], bodyText: 'x' },
      { title: 'Comes later', slug: 'comes-later', section: 'top', bodyText: 'x' },
      { kind: 'ranking', slug: 'picks', title: 'Picks', articles: ['comes-later', 'pins-later'] },
      { kind: 'ranking', slug: 'broken', title: 'Broken', articles: ['never-there'] },
      { kind: 'section', slug: 'top', name: 'Top', parent: 'top' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const dry = await postImport(t.editor, body, 'application/x-ndjson', '?dryRun=true');
    const real = await postImport(t.editor, body, 'application/x-ndjson');
    for (const answer of [dry, real])
      expect(answer.body).toMatchObject({
        created: 1 + 2 + 1,
        failed: 6,
        errors: [
          { line: 2, message: 'parent: no section nowhere' },
          { line: 3, message: expect.stringMatching(/^slug: /) },
          { line: 4, message: expect.stringMatching(/^kind: must be one of section, ranking/) },
          { line: 6, message: 'relatedArticles[0]: no article never-there' },
          { line: 9, message: 'articles[0]: no article never-there' },
          { line: 10, message: 'parent: would make a cycle' },
        ],
      });
    expect((await t.editor.get('/api/v1/articles/pins-later')).body.relatedArticles).toEqual([
      expect.objectContaining({ slug: 'comes-later' }),
    ]);
    expect((await t.editor.get('/api/v1/articles/comes-later')).body.breadcrumb).toEqual([
      expect.objectContaining({ slug: 'top' }),
    ]);
    expect((await t.editor.get('/api/v1/rankings/picks')).body.data.map((d: any) => d.article.slug)).toEqual([
      'comes-later',
      'pins-later',
    ]);
    expect((await t.editor.get('/api/v1/articles/pins-nothing')).status).toBe(404);
    expect((await t.editor.get('/api/v1/sections/orphan')).status).toBe(404);
  });

  it('holds back a line pinning an article further down the file, beyond its batch, and writes it at the end', async () => {
    const filler = Array.from({ length: 300 }, (_, i) => ({
      title: `Filler ${i}`,
      slug: `filler-${i}`,
      bodyText: 'x',
    }));
    const body = [
      {
        title: 'Looks ahead',
        slug: 'looks-ahead',
        relatedArticles: ['far-below', 'filler-3'],
        bodyText: 'x',
      },
      ...filler,
      { title: 'Far below', slug: 'far-below', bodyText: 'x' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const answer = await postImport(t.editor, body, 'application/x-ndjson');
    expect(answer.body).toMatchObject({ created: 302, failed: 0 });
    const ahead = (await t.editor.get('/api/v1/articles/looks-ahead')).body;
    expect(ahead.relatedArticles.map((r: { slug: string }) => r.slug)).toEqual(['far-below', 'filler-3']);
    // It keeps its place in the file: created before the articles that follow it.
    const exported = (await getExport(t.editor)).text.split('\n').map((l) => (l ? JSON.parse(l) : null));
    const order = exported.filter((l) => l && !l.kind).map((l) => l.slug);
    expect(order.indexOf('looks-ahead')).toBeLessThan(order.indexOf('filler-0'));
  });
});
