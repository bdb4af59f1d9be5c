import { ViewsService } from '../../src/views/views.service';
import { aSection, anArticle, published } from '../support/article-factory';
import { HttpClient, type HttpAnswer } from '../support/http-client';
import { plainPng } from '../support/media-images';
import { upload } from '../support/media-suite';
import {
  committedOpenApi,
  OpenApiAnswers,
  operationsOf,
  type OpenApiDocument,
} from '../support/openapi-answers';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/**
 * openapi.json against what the server really answers, checked the way an outside client's
 * validator would (Ajv strict, JSON Schema 2020-12): every public read, its problems, and a sample
 * of the writes and of the errors every route shares. A new public GET fails the first test until
 * it has a request here.
 */
describe('openapi.json describes the real answers', () => {
  const AUTH_FAILURE_BUDGET = 3;
  let t: TestApp;
  let doc: OpenApiDocument;
  let answers: OpenApiAnswers;
  let fx: {
    parent: string;
    child: string;
    full: { id: string; slug: string };
    bare: { id: string; slug: string };
    ranking: string;
    media: { id: string; url: string };
    preview: string;
  };

  /** Sends a request and fails unless its answer is documented and validates. */
  async function checked(
    client: HttpClient,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer> {
    const answer = await client.request(method, url, body, headers);
    answers.check(method, url, answer);
    return answer;
  }

  beforeAll(async () => {
    // A small bad-key budget, so that the 429 every route shares can be seen.
    t = await startTestApp({ rateLimitAuthFailuresPerMinute: AUTH_FAILURE_BUDGET });
    doc = committedOpenApi();
    answers = new OpenApiAnswers(doc);

    const parent = await aSection(t, 'World');
    const child = await aSection(t, 'Asia Pacific', parent);
    const full = await anArticle(
      t,
      published({
        section: child,
        tags: [unique('weather')],
        dateline: 'SEOUL, South Korea',
        source: 'AP',
        byline: 'Min-ji Park',
        heroImage: { url: 'https://images.example/ferry.jpg', alt: 'A ferry', width: 1200, height: 800 },
        body: [
          { type: 'paragraph', text: 'Ferries left <b>Incheon</b> at dawn.' },
          { type: 'heading', level: 2, text: 'Three days closed' },
          { type: 'quote', text: 'We are back.', cite: 'A captain' },
          { type: 'list', ordered: false, items: ['Incheon', 'Busan'] },
          { type: 'image', url: 'https://images.example/port.jpg', alt: 'The port' },
          { type: 'embed', url: 'https://video.example/v/1', provider: 'video.example' },
        ],
      }),
    );
    // No section, no hero image: both are null in every answer that shows this article.
    const bare = await anArticle(t, published({ title: `Wire brief ${unique('')}` }));
    expect([bare.section, bare.heroImage]).toEqual([null, null]);
    await t.anonymous.post(`/api/v1/articles/${full.slug}/reactions`, { type: 'veryGood', clientId: 'r1' });
    await t.anonymous.post(`/api/v1/articles/${full.slug}/views`, { clientId: 'r1' });
    // Written now rather than within the second, so no answer below changes between two reads.
    await t.dateline.app.get(ViewsService).flush();
    const ranking = unique('front-page');
    const put = await t.editor.put(`/api/v1/rankings/${ranking}`, {
      title: 'Front page',
      articles: [full.slug, bare.id],
    });
    expect(put.status).toBe(200);
    const media = await upload(t.editor, await plainPng(400, 300));
    expect(media.status).toBe(201);
    const draft = await anArticle(t, { title: `Draft for preview ${unique('')}` });
    const preview = (await t.editor.post(`/api/v1/articles/${draft.id}/preview-links`, {})).body.token;
    fx = { parent, child, full, bare, ranking, media: media.body, preview };
  });
  afterAll(() => t?.close());

  /** Requests for every public GET: its answers and its problems. */
  const publicReads = (): Record<string, [url: string, status: number][]> => ({
    'GET /api/v1/articles': [
      ['/api/v1/articles?limit=50', 200],
      [`/api/v1/articles?section=${fx.parent}`, 200],
      ['/api/v1/articles?status=draft', 400],
      ['/api/v1/articles?limit=1000', 400],
    ],
    'GET /api/v1/articles/{idOrSlug}': [
      [`/api/v1/articles/${fx.full.slug}`, 200],
      [`/api/v1/articles/${fx.bare.slug}`, 200],
      [`/api/v1/articles/${fx.bare.id}`, 200],
      ['/api/v1/articles/no-such-article-anywhere', 404],
      ['/api/v1/articles/Not_A_Slug', 400],
      [`/api/v1/articles/${'a'.repeat(600)}`, 414],
    ],
    'GET /api/v1/articles/{idOrSlug}/reactions': [
      [`/api/v1/articles/${fx.full.slug}/reactions`, 200],
      ['/api/v1/articles/no-such-article-anywhere/reactions', 404],
    ],
    'GET /api/v1/articles/{idOrSlug}/related': [
      [`/api/v1/articles/${fx.full.slug}/related`, 200],
      [`/api/v1/articles/${fx.bare.slug}/related?limit=3`, 200],
      [`/api/v1/articles/${fx.full.slug}/related?limit=0`, 400],
      ['/api/v1/articles/no-such-article-anywhere/related', 404],
    ],
    'GET /api/v1/feeds/{file}': [
      ['/api/v1/feeds/latest.rss', 200],
      ['/api/v1/feeds/latest.atom?full=true', 200],
      ['/api/v1/feeds/latest.json', 200],
      ['/api/v1/feeds/latest.json?locale=xx', 400],
      ['/api/v1/feeds/latest.txt', 404],
    ],
    'GET /api/v1/feeds/{kind}/{file}': [
      [`/api/v1/feeds/section/${fx.parent}.json?full=true`, 200],
      [`/api/v1/feeds/author/min-ji-park.rss`, 200],
      ['/api/v1/feeds/section/no-such-section.atom', 404],
    ],
    'GET /api/v1/media/{id}': [
      [`/api/v1/media/${fx.media.id}`, 200],
      ['/api/v1/media/00000000-0000-4000-8000-000000000000', 404],
      ['/api/v1/media/not-a-uuid', 400],
    ],
    'GET /api/v1/media/{id}/renditions/{version}/{name}': [
      [fx.media.url, 200],
      [fx.media.url.replace(/\/[^/]+$/, '/500.jpg'), 400],
      [fx.media.url.replace(/\/renditions\/[0-9a-f]+\//, '/renditions/0000000000000000/'), 404],
    ],
    'GET /api/v1/preview/{token}': [
      [`/api/v1/preview/${fx.preview}`, 200],
      [`/api/v1/preview/${'x'.repeat(43)}`, 404],
    ],
    'GET /api/v1/sitemaps/{file}': [
      ['/api/v1/sitemaps/index.xml', 200],
      ['/api/v1/sitemaps/news.xml', 200],
      [`/api/v1/sitemaps/articles-${new Date().toISOString().slice(0, 7)}.xml`, 200],
      ['/api/v1/sitemaps/articles-1999-01.xml', 404],
      ['/api/v1/sitemaps/robots.txt', 404],
    ],
    'GET /api/v1/rankings': [
      ['/api/v1/rankings?window=24h', 200],
      [`/api/v1/rankings?sort=trending&section=${fx.parent}`, 200],
      ['/api/v1/rankings?window=2h', 400],
    ],
    'GET /api/v1/rankings/{slug}': [
      [`/api/v1/rankings/${fx.ranking}`, 200],
      ['/api/v1/rankings/no-such-ranking', 404],
    ],
    'GET /api/v1/recommendations': [
      [`/api/v1/recommendations?articleId=${fx.full.slug}&clientId=r1`, 200],
      ['/api/v1/recommendations', 200],
      ['/api/v1/recommendations?articleId=no-such-article-anywhere', 404],
      ['/api/v1/recommendations?limit=500', 400],
    ],
    'GET /api/v1/sections': [['/api/v1/sections', 200]],
    'GET /api/v1/sections/{idOrSlug}': [
      [`/api/v1/sections/${fx.parent}`, 200],
      [`/api/v1/sections/${fx.child}`, 200],
      ['/api/v1/sections/no-such-section', 404],
    ],
    'GET /health/live': [['/health/live', 200]],
    'GET /health/ready': [['/health/ready', 200]],
  });

  it('every public GET answers as documented: articles with and without section and hero image, lists, problems', async () => {
    const publicGets = operationsOf(doc)
      .filter((o) => o.method === 'get' && o.operation.security?.some((s) => Object.keys(s).length === 0))
      .map((o) => `GET ${o.path}`)
      .sort();
    const reads = publicReads();
    expect(Object.keys(reads).sort()).toEqual(publicGets);

    for (const [operation, requests] of Object.entries(reads)) {
      for (const [url, status] of requests) {
        const answer = await checked(t.anonymous, 'GET', url);
        expect({ operation, url, status: answer.status }).toEqual({ operation, url, status });
        // A cached answer sent back as current is a 304, documented with the operation.
        const etag = answer.headers.get('etag');
        if (answer.status === 200 && etag) {
          const again = await checked(t.anonymous, 'GET', url, undefined, { 'if-none-match': etag });
          expect({ url, status: again.status }).toEqual({ url, status: 304 });
        }
      }
    }

    // The cases the brief names, seen in the answers themselves.
    const bare = await checked(t.anonymous, 'GET', `/api/v1/articles/${fx.bare.slug}`);
    expect([bare.body.section, bare.body.heroImage]).toEqual([null, null]);
    const full = await checked(t.anonymous, 'GET', `/api/v1/articles/${fx.full.slug}`);
    expect(full.body.section).toMatchObject({ slug: fx.child });
    expect(full.body.heroImage).toMatchObject({ url: 'https://images.example/ferry.jpg', caption: null });
    const list = await checked(t.anonymous, 'GET', '/api/v1/articles?limit=50');
    expect(list.body.data.map((a: { slug: string }) => a.slug)).toEqual(
      expect.arrayContaining([fx.full.slug, fx.bare.slug]),
    );
    const missing = await checked(t.anonymous, 'GET', '/api/v1/articles/no-such-article-anywhere');
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body).toMatchObject({
      status: 404,
      type: 'https://dateline.dev/problems/article-not-found',
    });
  });

  it('the validator is strict: a wrong answer fails it', () => {
    const answer = (body: unknown, status = 200): HttpAnswer => ({
      status,
      headers: new Headers({ 'content-type': 'application/json; charset=utf-8' }),
      body,
      text: JSON.stringify(body),
    });
    const url = `/api/v1/sections/${'x'}`;
    expect(() => answers.check('GET', url, answer({ id: 'not-a-uuid' }))).toThrow(/does not match/);
    expect(() => answers.check('GET', url, answer({}, 418))).toThrow(/status not documented/);
    const problem = {
      status: 404,
      headers: new Headers({ 'content-type': 'application/problem+json' }),
      body: { type: 'https://dateline.dev/problems/article-not-found', title: 'x', status: 404, detail: 'x' },
      text: 'x',
    };
    // A section route does not answer an article's problem.
    expect(() => answers.check('GET', url, problem)).toThrow(/not listed/);
  });

  it('writes and their problems answer as documented, for editors, admins and the anonymous', async () => {
    const { editor, admin, anonymous } = t;
    const slug = unique('harbour');
    const created = await checked(editor, 'POST', '/api/v1/articles', {
      title: 'Harbour reopens',
      slug,
      section: fx.child,
      bodyText: 'Boats went out.',
    });
    expect(created.status).toBe(201);
    const writes: [HttpClient, string, string, unknown, number][] = [
      [editor, 'POST', '/api/v1/articles', { title: 'Again', slug }, 409],
      [editor, 'POST', '/api/v1/articles', { title: 'Nowhere', section: 'no-such-section' }, 400],
      [editor, 'POST', '/api/v1/articles', { title: 'Read-only', viewCount: 3 }, 400],
      [editor, 'PATCH', `/api/v1/articles/${slug}`, { subtitle: 'Boats are out' }, 200],
      [editor, 'PATCH', '/api/v1/articles/no-such-article-anywhere', { subtitle: 'x' }, 404],
      [editor, 'POST', `/api/v1/articles/${slug}/publish`, {}, 200],
      [editor, 'POST', `/api/v1/articles/${slug}/unpublish`, undefined, 200],
      [editor, 'GET', `/api/v1/articles/${slug}/revisions`, undefined, 200],
      [editor, 'DELETE', `/api/v1/articles/${slug}`, undefined, 204],
      [editor, 'POST', `/api/v1/articles/${slug}/restore`, undefined, 200],
      [anonymous, 'POST', `/api/v1/articles/${fx.full.slug}/reactions`, { type: 'veryGood' }, 200],
      [anonymous, 'POST', `/api/v1/articles/${fx.full.slug}/reactions`, { type: 'meh' }, 400],
      [anonymous, 'POST', `/api/v1/articles/${slug}/reactions`, { type: 'veryGood' }, 404],
      [
        anonymous,
        'DELETE',
        `/api/v1/articles/${fx.full.slug}/reactions/veryGood?clientId=r1`,
        undefined,
        200,
      ],
      [anonymous, 'DELETE', `/api/v1/articles/${fx.full.slug}/reactions/veryGood`, undefined, 400],
      [anonymous, 'POST', `/api/v1/articles/${fx.full.slug}/views`, {}, 202],
      [editor, 'POST', '/api/v1/sections', { slug: fx.child, name: 'Taken' }, 409],
      [editor, 'PATCH', `/api/v1/sections/${fx.parent}`, { parent: fx.child }, 400],
      [editor, 'DELETE', `/api/v1/sections/${fx.parent}`, undefined, 409],
      [editor, 'PUT', `/api/v1/rankings/${unique('list')}`, { title: 'Empty', articles: [] }, 200],
      [editor, 'GET', '/api/v1/exports/articles?section=no-such-section', undefined, 404],
      [editor, 'GET', '/api/v1/api-keys', undefined, 403],
      [anonymous, 'POST', '/api/v1/articles', { title: 'Anonymous' }, 401],
      [admin, 'GET', '/api/v1/api-keys', undefined, 200],
      [admin, 'DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000', undefined, 404],
      [admin, 'DELETE', '/api/v1/api-keys/not-a-uuid', undefined, 400],
      [
        admin,
        'POST',
        '/api/v1/webhooks',
        { url: 'http://127.0.0.1/hook', events: ['article.published'] },
        400,
      ],
      [admin, 'GET', '/api/v1/webhooks', undefined, 200],
      [admin, 'GET', '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries', undefined, 404],
      [
        admin,
        'POST',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries/00000000-0000-4000-8000-000000000001/redeliver',
        undefined,
        404,
      ],
    ];
    for (const [client, method, url, body, status] of writes) {
      const answer = await checked(client, method, url, body);
      expect({ method, url, status: answer.status }).toEqual({ method, url, status });
    }

    // What every route with a JSON body refuses before reading it.
    const plain = await checked(editor, 'POST', '/api/v1/sections', 'slug=x', {
      'content-type': 'text/plain',
    });
    expect(plain.status).toBe(415);
    const huge = await checked(editor, 'POST', '/api/v1/articles', {
      title: 'x',
      bodyText: 'x'.repeat(1_100_000),
    });
    expect(huge.status).toBe(413);
    const malformed = await checked(editor, 'POST', '/api/v1/articles', '{"title":');
    expect(malformed.status).toBe(400);
    const imported = await checked(editor, 'POST', '/api/v1/imports?dryRun=true', '{"title":"Wire item"}\n', {
      'content-type': 'application/x-ndjson',
    });
    expect(imported.status).toBe(200);
  });

  it('a bad key is 401 on any route, public ones included, then 429 once the budget is spent', async () => {
    const badKey = new HttpClient(t.url, 'dl_0000000000000000_not-a-real-key-at-all');
    const urls = ['/api/v1/sections', '/api/v1/articles', '/health/live'];
    for (let i = 0; i < AUTH_FAILURE_BUDGET; i++) {
      const answer = await checked(badKey, 'GET', urls[i % urls.length]);
      expect(answer.status).toBe(401);
    }
    const limited = await checked(badKey, 'GET', `/api/v1/articles/${fx.full.slug}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('every {parameter} of every path is declared, once, as a required path parameter', () => {
    const undeclared: string[] = [];
    for (const { path, method, operation } of operationsOf(doc)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      for (const name of names) {
        const matches = declared.filter((p) => p.name === name);
        if (matches.length !== 1 || matches[0].required !== true)
          undeclared.push(`${method.toUpperCase()} ${path}: {${name}}`);
      }
      for (const p of declared)
        if (!names.includes(p.name)) undeclared.push(`${method.toUpperCase()} ${path}: extra ${p.name}`);
    }
    expect(undeclared).toEqual([]);
    // The routes the brief names: 16 {idOrSlug} operations, each with the uuid-or-slug rule.
    const idOrSlug = operationsOf(doc).filter((o) => o.path.includes('{idOrSlug}'));
    expect(idOrSlug.length).toBeGreaterThanOrEqual(16);
    for (const { operation } of idOrSlug)
      expect(operation.parameters).toContainEqual(
        expect.objectContaining({
          name: 'idOrSlug',
          in: 'path',
          required: true,
          schema: expect.objectContaining({ maxLength: 200 }),
        }),
      );
  });

  it('every operation documents its errors as problem+json, and /api/docs-json serves openapi.json', async () => {
    for (const { path, method, operation } of operationsOf(doc)) {
      const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
      expect({
        path,
        method,
        has401: '401' in operation.responses,
        has503: '503' in operation.responses,
      }).toEqual({ path, method, has401: true, has503: true });
      for (const [status, response] of errors)
        expect({ path, method, status, problem: Object.keys(response.content ?? {}) }).toEqual({
          path,
          method,
          status,
          problem: expect.arrayContaining(['application/problem+json']),
        });
    }
    const served = await t.anonymous.get('/api/docs-json');
    expect(served.body).toEqual(doc);
  });
});
