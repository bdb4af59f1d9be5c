import { aSection, anArticle } from '../support/article-factory';
import { expectProblem } from '../support/http-client';
import { startTestApp, unique, type TestApp } from '../support/test-app';
import { XSS_VECTORS } from '../support/xss-vectors';

const paths = (res: { body: { errors?: { path: string }[] } }) =>
  (res.body.errors ?? []).map((e) => e.path).sort();
const EXECUTABLE =
  /<script|<svg|<iframe|<object|<embed|<style|<form|<meta|<base|\son\w+\s*=|javascript:|vbscript:|data:/i;

describe('Articles: bad input, conflicts, sanitising and Unicode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('bad fields are 400 with errors[] naming each field', async () => {
    const empty = await t.editor.post('/api/v1/articles', { title: '' });
    expectProblem(empty, 400);
    expect(paths(empty)).toEqual(['title']);
    expect(paths(await t.editor.post('/api/v1/articles', { bodyText: 'no title' }))).toEqual(['title']);

    const spaces = await t.editor.post('/api/v1/articles', { title: 'x', slug: 'has spaces' });
    expectProblem(spaces, 400);
    expect(paths(spaces)).toEqual(['slug']);
    const long = await t.editor.post('/api/v1/articles', { title: 'x', slug: 'a'.repeat(201) });
    expectProblem(long, 400);
    expect(paths(long)).toEqual(['slug']);

    const section = await t.editor.post('/api/v1/articles', {
      title: 'x',
      section: 'no-such-section-anywhere',
    });
    expectProblem(section, 400);
    expect(paths(section)).toEqual(['section']);

    const readOnly = await t.editor.post('/api/v1/articles', {
      title: 'x',
      id: '00000000-0000-4000-8000-000000000000',
      createdAt: '2020-01-01T00:00:00.000Z',
      viewCount: 5,
      reactions: [],
      bogus: true,
    });
    expectProblem(readOnly, 400);
    expect(paths(readOnly)).toEqual(['bogus', 'createdAt', 'id', 'reactions', 'viewCount']);
    expect(readOnly.body.errors).toContainEqual({ path: 'id', message: 'is read-only' });

    const blocks = await t.editor.post('/api/v1/articles', {
      title: 'x',
      body: [{ type: 'heading', level: 9, text: 'h' }, { type: 'video' }],
    });
    expectProblem(blocks, 400);
    expect(paths(blocks)).toEqual(['body.0.level', 'body.1.type']);

    const schedule = await t.editor.post('/api/v1/articles', { title: 'x', status: 'scheduled' });
    expect(paths(schedule)).toEqual(['publishedAt']);
    expectProblem(await t.editor.post('/api/v1/articles', { title: 'x', status: 'gone' }), 400);
  });

  it('a duplicate slug is 409', async () => {
    const a = await anArticle(t);
    const dup = await t.editor.post('/api/v1/articles', { title: 'Other', slug: a.slug });
    expectProblem(dup, 409);
    const b = await anArticle(t);
    expectProblem(await t.editor.patch(`/api/v1/articles/${b.id}`, { slug: a.slug }), 409);
    const gql = await t.editor.graphql(
      `mutation($s: String) { createArticle(input: { title: "x", slug: $s }) { id } }`,
      {
        s: a.slug,
      },
    );
    expect(gql.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it("a PATCH carrying another article's id is 400 and changes nothing", async () => {
    const a = await anArticle(t, { title: 'Article A' });
    const b = await anArticle(t, { title: 'Article B' });
    const res = await t.editor.patch(`/api/v1/articles/${a.id}`, { id: b.id, title: 'Hijacked' });
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['id']);
    expect((await t.editor.get(`/api/v1/articles/${b.id}`)).body).toEqual(
      (await t.editor.get(`/api/v1/articles/${b.id}`)).body,
    );
    expect((await t.editor.get(`/api/v1/articles/${b.id}`)).body.title).toBe('Article B');
    expect((await t.editor.get(`/api/v1/articles/${a.id}`)).body.title).toBe('Article A');
    expect((await t.editor.get(`/api/v1/articles/${b.id}`)).body.updatedAt).toBe(b.updatedAt);
  });

  it(`${XSS_VECTORS.length} known XSS vectors in bodyHtml come out harmless`, async () => {
    const section = await aSection(t, 'Xss');
    for (const html of XSS_VECTORS) {
      const created = await t.editor.post('/api/v1/articles', {
        title: `XSS ${unique('v')}`,
        section,
        bodyHtml: html,
      });
      expect({ html, status: created.status }).toEqual({ html, status: 201 });
      expect({ html, out: EXECUTABLE.test(created.body.bodyHtml) }).toEqual({ html, out: false });
      expect({ html, out: EXECUTABLE.test(JSON.stringify(created.body.body)) }).toEqual({ html, out: false });
    }
    const kept = await anArticle(t, {
      bodyHtml: '<p>Safe <a href="https://example.com">link</a> and <b>bold</b></p>',
    });
    expect(kept.bodyHtml).toBe('<p>Safe <a href="https://example.com">link</a> and <b>bold</b></p>');
  });

  it('Unicode comes back byte for byte', async () => {
    const text = '“Curly quotes” — em dashes… 서울의 밤은 깊다. Ünïcödé ✓';
    const created = await anArticle(t, {
      title: `서울 ${text}`,
      bodyText: `${text}\n\n두 번째 문단.`,
      status: 'published',
    });
    const read = await t.anonymous.get(`/api/v1/articles/${created.id}`);
    expect(read.headers.get('content-type')).toMatch(/charset=utf-8/i);
    expect(read.body.title).toBe(`서울 ${text}`);
    expect(read.body.bodyText).toBe(`${text}\n\n두 번째 문단.`);
    expect(read.body.bodyHtml).toBe(`<p>${text}</p>\n<p>두 번째 문단.</p>`);
    expect(Buffer.from(read.body.bodyText).equals(Buffer.from(`${text}\n\n두 번째 문단.`))).toBe(true);
    expect(read.body.excerpt).toBe(text);
    expect(created.slug).toMatch(/^[a-z0-9-]+$/);
  });
});
