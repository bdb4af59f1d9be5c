/**
 * Every field of every body block follows one rule, whichever way the article arrives. Source:
 * OWASP API8:2023 Security Misconfiguration / API3 (what an API hands its clients must be safe to
 * use as documented) and the OWASP XSS Prevention Cheat Sheet (output encoding per context: HTML
 * content, quoted attribute, URL). The rules are in src/articles/body/blocks.ts (BLOCK_FIELD_RULES):
 * text fields are sanitised HTML (`alt` and `provider` without any tag), `url` a normalised
 * http(s) URL.
 */
import { DataSource } from 'typeorm';
import { normalizeBlocks, type RawBlock } from '../../src/articles/body/normalize';
import { dataSourceOptions } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { BlockTextFieldsAsHtml1796035000000 } from '../../src/database/migrations/1796035000000-BlockTextFieldsAsHtml';
import { migrate } from '../../src/database/startup';
import { NDJSON, ndjson, postImport } from '../support/imports';
import { expectProblem } from '../support/http-client';
import { withScratchDatabase } from '../support/scratch-database';
import { startTestApp, testConfig, unique, type TestApp } from '../support/test-app';
import { XSS_VECTORS } from '../support/xss-vectors';

const EXECUTABLE =
  /<script|<svg|<iframe|<object|<embed|<style|<form|<meta|<base|<math|\son\w+\s*=|javascript:|vbscript:|data:|style=/i;
/** Any tag but <b>, <i> and <a href="…"> (and their ends): what inline HTML fields may not hold. */
const OTHER_TAG = /<(?!\/?(b|i)>|a href="[^"<>]*">|\/a>)/;

/** Every field of every block type, each carrying the same value. */
const everyField = (v: string) => [
  { type: 'paragraph', text: v },
  { type: 'heading', level: 3, text: v },
  { type: 'quote', text: v, cite: v },
  { type: 'list', ordered: false, items: [v, v] },
  { type: 'image', url: 'https://img.example/harbour.jpg', alt: v, caption: v, credit: v },
  { type: 'embed', url: 'https://video.example/watch/1', provider: v },
];

interface AnyBlock {
  type: string;
  text?: string;
  items?: string[];
  cite?: string;
  caption?: string;
  credit?: string;
  alt?: string;
  provider?: string;
  url?: string;
}

/** What a client relies on for each field of the blocks it reads. */
function expectSafeBlocks(vector: string, body: AnyBlock[], bodyHtml: string): void {
  const where = (field: string) => ({ vector, field });
  expect({ ...where('body'), executable: EXECUTABLE.test(JSON.stringify(body)) }).toEqual({
    ...where('body'),
    executable: false,
  });
  expect({ ...where('bodyHtml'), executable: EXECUTABLE.test(bodyHtml) }).toEqual({
    ...where('bodyHtml'),
    executable: false,
  });
  for (const b of body) {
    for (const [field, value] of Object.entries(b)) {
      if (typeof value !== 'string' && !Array.isArray(value)) continue;
      const values = (Array.isArray(value) ? value : [value]) as string[];
      for (const v of values) {
        if (field === 'type') continue;
        if (field === 'url')
          expect({ ...where(field), ok: /^https:\/\/[^\s"'<>`]+$/.test(v) }).toEqual({
            ...where(field),
            ok: true,
          });
        else if (field === 'alt' || field === 'provider')
          expect({ ...where(field), bare: !/[<>"]/.test(v) }).toEqual({ ...where(field), bare: true });
        else
          expect({ ...where(field), inline: !OTHER_TAG.test(v) }).toEqual({ ...where(field), inline: true });
      }
    }
  }
}

describe('Hardening: one rule per body block field, through POST /articles and an NDJSON import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it(`${XSS_VECTORS.length} XSS vectors in every field of every block type, through POST /articles`, async () => {
    for (const vector of XSS_VECTORS) {
      const created = await t.editor.post('/api/v1/articles', {
        title: `Fields ${unique('v')}`,
        status: 'published',
        body: everyField(vector),
      });
      expect({ vector, status: created.status }).toEqual({ vector, status: 201 });
      expectSafeBlocks(vector, created.body.body, created.body.bodyHtml);
      // The public read gives the same; writing the blocks back changes nothing.
      const read = await t.anonymous.get(`/api/v1/articles/${created.body.slug}`);
      expect(read.body.body).toEqual(created.body.body);
      const again = await t.editor.patch(`/api/v1/articles/${created.body.id}`, { body: created.body.body });
      expect({ vector, body: again.body.body, html: again.body.bodyHtml }).toEqual({
        vector,
        body: created.body.body,
        html: created.body.bodyHtml,
      });
    }
  });

  it(`${XSS_VECTORS.length} XSS vectors in every field of every block type, through an NDJSON import`, async () => {
    const run = unique('fields');
    const lines = XSS_VECTORS.map((vector, i) => ({
      externalId: `${run}:${i}`,
      slug: `${run}-${i}`,
      title: `Imported fields ${i}`,
      body: everyField(vector),
    }));
    const res = await postImport(t.editor, ndjson(lines), NDJSON['content-type']);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: XSS_VECTORS.length, failed: 0, errors: [] });
    for (const [i, vector] of XSS_VECTORS.entries()) {
      const article = await t.editor.get(`/api/v1/articles/${run}-${i}`);
      expect(article.status).toBe(200);
      expectSafeBlocks(vector, article.body.body, article.body.bodyHtml);
    }
    // The same lines again: the stored blocks are already in their final form.
    const again = await postImport(t.editor, ndjson(lines), NDJSON['content-type']);
    expect(again.body).toMatchObject({ unchanged: XSS_VECTORS.length, failed: 0 });
  });

  it('a url that is not an absolute http(s) URL is refused; one that breaks out of an attribute is stored encoded', async () => {
    for (const url of [
      ...XSS_VECTORS,
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      '//evil.example/x.js',
    ]) {
      const res = await t.editor.post('/api/v1/articles', {
        title: 'Bad url',
        body: [
          { type: 'image', url, alt: 'x' },
          { type: 'embed', url },
        ],
      });
      expectProblem(res, 400);
      expect({ url, paths: res.body.errors.map((e: { path: string }) => e.path) }).toEqual({
        url,
        paths: ['body.0.url', 'body.1.url'],
      });
    }

    const breakout = 'https://img.example/a.jpg" onerror="alert(1)';
    const created = await t.editor.post('/api/v1/articles', {
      title: 'Breakout',
      body: [
        { type: 'image', url: breakout, alt: 'x" onerror="alert(1)' },
        { type: 'embed', url: `${breakout}<script>` },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.body).toEqual([
      {
        type: 'image',
        url: 'https://img.example/a.jpg%22%20onerror=%22alert(1)',
        alt: 'x&quot; onerror=&quot;alert(1)',
      },
      { type: 'embed', url: 'https://img.example/a.jpg%22%20onerror=%22alert(1)%3Cscript%3E' },
    ]);
    expect(created.body.bodyHtml).toContain(
      '<img src="https://img.example/a.jpg%22%20onerror=%22alert(1)" alt="x&quot; onerror=&quot;alert(1)">',
    );

    const imported = await postImport(
      t.editor,
      ndjson([
        {
          externalId: unique('bad-url'),
          title: 'Bad url',
          body: [{ type: 'image', url: 'javascript:alert(1)', alt: 'x' }],
        },
      ]),
      NDJSON['content-type'],
    );
    expect(imported.body).toMatchObject({ created: 0, failed: 1 });
    expect(imported.body.errors[0].message).toMatch(/^body\.0\.url: must be an http\(s\) URL$/);
  });

  it('GraphQL gives the same fields as REST', async () => {
    const created = await t.editor.post('/api/v1/articles', {
      title: `GraphQL fields ${unique('g')}`,
      status: 'published',
      body: everyField('Tom & <b>Jerry</b> <script>x</script>"quoted"'),
    });
    const res = await t.anonymous.graphql(
      `query($id: ID!) { article(id: $id) { body {
        __typename
        ... on ParagraphBlock { text } ... on HeadingBlock { text } ... on QuoteBlock { text cite }
        ... on ListBlock { items } ... on ImageBlock { url alt caption credit } ... on EmbedBlock { url provider }
      } } }`,
      { id: created.body.id },
    );
    expect(res.errors).toBeUndefined();
    const rest = created.body.body.map(
      ({
        type: _type,
        level: _level,
        ordered: _ordered,
        ...fields
      }: AnyBlock & {
        level?: number;
        ordered?: boolean;
      }) => fields,
    );
    expect(res.data.article.body.map(({ __typename, ...fields }: { __typename: string }) => fields)).toEqual(
      rest,
    );
    expect(created.body.body[0].text).toBe('Tom &amp; <b>Jerry</b> "quoted"');
    expect(created.body.body[4].alt).toBe('Tom &amp; Jerry &quot;quoted&quot;');
  });

  it('bodies stored under the earlier rules (plain text fields, urls as given) are brought to these by a migration', async () => {
    await withScratchDatabase(async (databaseUrl) => {
      const options = dataSourceOptions({ ...testConfig(), databaseUrl, dbPoolSize: 1 });
      const upTo = MIGRATIONS.indexOf(BlockTextFieldsAsHtml1796035000000);
      const before = await new DataSource({ ...options, migrations: MIGRATIONS.slice(0, upTo) }).initialize();
      try {
        await before.runMigrations();
        const legacy = [
          { type: 'paragraph', text: 'Fish &amp; chips' },
          { type: 'quote', text: 'We will rebuild.', cite: 'Smith & <Sons>' },
          { type: 'quote', text: 'No one said it.' },
          {
            type: 'image',
            url: 'https://img.example/a b.jpg"',
            alt: 'A "quoted" & <b>',
            caption: 'Tom & Jerry',
            credit: '<i>AP</i>',
          },
          { type: 'image', url: 'https://img.example/b.jpg', alt: '' },
          { type: 'embed', url: 'https://video.example/1', provider: 'Q&A' },
        ];
        await before.query(`INSERT INTO articles (slug, title, body) VALUES ('legacy', 'Legacy', $1)`, [
          JSON.stringify(legacy),
        ]);
      } finally {
        await before.destroy();
      }
      const after = await new DataSource(options).initialize();
      try {
        expect(await migrate(after)).toContain('BlockTextFieldsAsHtml1796035000000');
        const [row] = await after.query<{ body: RawBlock[] }[]>(
          `SELECT body FROM articles WHERE slug = 'legacy'`,
        );
        expect(row.body).toEqual([
          { type: 'paragraph', text: 'Fish &amp; chips' },
          { type: 'quote', text: 'We will rebuild.', cite: 'Smith &amp; &lt;Sons&gt;' },
          { type: 'quote', text: 'No one said it.' },
          {
            type: 'image',
            url: 'https://img.example/a%20b.jpg%22',
            alt: 'A &quot;quoted&quot; &amp; &lt;b&gt;',
            caption: 'Tom &amp; Jerry',
            credit: '&lt;i&gt;AP&lt;/i&gt;',
          },
          { type: 'image', url: 'https://img.example/b.jpg', alt: '' },
          { type: 'embed', url: 'https://video.example/1', provider: 'Q&amp;A' },
        ]);
        // What the migration wrote is already what the rules give: shown as it was written.
        expect(normalizeBlocks(row.body)).toEqual({ blocks: row.body, errors: [] });
      } finally {
        await after.destroy();
      }
    });
  });
});
