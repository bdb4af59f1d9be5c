import { connect } from 'node:net';
import { DataSource } from 'typeorm';
import { expectProblem } from '../support/http-client';
import { ndjson, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('POST /imports with NDJSON: per-line errors, dry runs, idempotent re-imports', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.dateline.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('1,000 lines with 3 bad ones: 997 created, 3 errors by line; the dry run says the same and writes nothing; re-imports are unchanged, changes make revisions, reactions stay', async () => {
    const section = unique('imp-sec');
    expect((await t.editor.post('/api/v1/sections', { slug: section, name: 'Imports' })).status).toBe(201);
    const run = unique('run');
    const good = (i: number, title = `Story ${i} of ${run}`) =>
      JSON.stringify({
        externalId: `${run}-${i}`,
        title,
        bodyHtml: `<p>Paragraph one of ${i}, naïve café.</p><p>Two</p>`,
        section,
        tags: [{ slug: `${run}-tag`, name: 'Run tag' }],
        status: 'published',
        publishedAt: '2026-01-02T03:04:05.000Z',
        reactions: i === 1 ? [{ type: 'veryGood', count: 5 }] : undefined,
      });
    const lines: string[] = [];
    for (let i = 1; i <= 1000; i++) lines.push(good(i));
    lines[99] = JSON.stringify({ externalId: `${run}-100`, title: '' });
    lines[499] = `{"externalId": "${run}-500", "title": `;
    lines[899] = JSON.stringify({ externalId: `${run}-900`, title: 'Lost', section: unique('nowhere') });
    const body = ndjson(lines);

    const dry = await postImport(t.editor, body, 'application/x-ndjson', '?dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      created: 997,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      failed: 3,
    });
    expect(dry.body.errors.map((e: { line: number }) => e.line)).toEqual([100, 500, 900]);
    const count = async () =>
      Number(
        (await db.query(`SELECT count(*) AS n FROM articles WHERE external_id LIKE $1`, [`${run}-%`]))[0].n,
      );
    expect(await count()).toBe(0);

    const real = await postImport(t.editor, body, 'application/x-ndjson');
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ dryRun: false, created: 997, updated: 0, unchanged: 0, failed: 3 });
    expect(real.body.errors).toEqual([
      { line: 100, externalId: `${run}-100`, message: expect.stringMatching(/title/) },
      { line: 500, externalId: null, message: expect.any(String) },
      { line: 900, externalId: `${run}-900`, message: expect.stringMatching(/section/) },
    ]);
    expect(await count()).toBe(997);

    const read = await t.anonymous.get(`/api/v1/articles?section=${section}&limit=1`);
    expect(read.body.data[0]).toMatchObject({ section: expect.anything() });
    const one = await t.editor.get(
      `/api/v1/articles/${(await db.query(`SELECT id FROM articles WHERE external_id = $1`, [`${run}-1`]))[0].id}`,
    );
    expect(one.body).toMatchObject({
      externalId: `${run}-1`,
      title: `Story 1 of ${run}`,
      publishedAt: '2026-01-02T03:04:05.000Z',
      tags: [{ slug: `${run}-tag`, name: 'Run tag' }],
      reactions: expect.arrayContaining([expect.objectContaining({ type: 'veryGood', count: 5 })]),
    });
    expect(JSON.stringify(one.body.body)).toContain('naïve café');

    // Readers react in between (straight into the table: the reactions API is another feature).
    await db.query(
      `UPDATE article_reactions SET count = 42 WHERE article_id = (SELECT id FROM articles WHERE external_id = $1)`,
      [`${run}-1`],
    );

    const again = await postImport(t.editor, body, 'application/x-ndjson');
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 997, failed: 3 });

    lines[0] = good(1, 'Story one, corrected');
    lines[1] = good(2, 'Story two, corrected');
    const changed = await postImport(t.editor, ndjson(lines), 'application/x-ndjson');
    expect(changed.body).toMatchObject({ created: 0, updated: 2, unchanged: 995, failed: 3 });
    const revisions: { external_id: string; n: string }[] = await db.query(
      `SELECT a.external_id, count(r.id) AS n FROM articles a LEFT JOIN article_revisions r ON r.article_id = a.id
        WHERE a.external_id = ANY($1) GROUP BY a.external_id ORDER BY a.external_id`,
      [[`${run}-1`, `${run}-2`, `${run}-3`]],
    );
    expect(revisions.map((r) => Number(r.n))).toEqual([1, 1, 0]);
    const after = await t.editor.get(`/api/v1/articles/${one.body.id}`);
    expect(after.body.title).toBe('Story one, corrected');
    expect(after.body.reactions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'veryGood', count: 42 })]),
    );
    const history = await t.editor.get(`/api/v1/articles/${one.body.id}/revisions`);
    expect(history.body.data).toHaveLength(1);
  });

  it('lines without externalId are keyed by slug; unknown sections are made with createSections', async () => {
    const slug = unique('by-slug');
    const section = unique('new-sec');
    const line = { slug, title: 'Keyed by slug', bodyText: 'Hello', section, sectionName: 'Brand New' };
    const refused = await postImport(t.editor, ndjson([line]), 'application/x-ndjson');
    expect(refused.body).toMatchObject({ created: 0, failed: 1 });
    const made = await postImport(t.editor, ndjson([line]), 'application/x-ndjson', '?createSections=true');
    expect(made.body).toMatchObject({ created: 1, failed: 0 });
    expect((await t.anonymous.get(`/api/v1/sections/${section}`)).body).toMatchObject({ name: 'Brand New' });
    const again = await postImport(
      t.editor,
      ndjson([{ ...line, title: 'Keyed by slug, v2' }]),
      'application/x-ndjson',
    );
    expect(again.body).toMatchObject({ created: 0, updated: 1 });
    expect((await t.editor.get(`/api/v1/articles/${slug}`)).body.title).toBe('Keyed by slug, v2');
  });

  it('an imported article equals the same input created through POST /articles', async () => {
    const section = unique('eq-sec');
    await t.editor.post('/api/v1/sections', { slug: section, name: 'Equal' });
    const input = {
      title: 'Same either way',
      subtitle: 'Sub',
      byline: 'A. Writer',
      bodyHtml:
        '<h2>Head</h2><p>Text with <a href="https://example.com">a link</a> and <script>x</script>.</p><ul><li>one</li></ul>',
      section,
      tags: ['alpha', 'beta'],
      status: 'published',
      publishedAt: '2026-02-03T04:05:06.000Z',
      heroImage: { url: 'https://img.example.com/a.jpg', alt: 'An image' },
    };
    const posted = await t.editor.post('/api/v1/articles', { ...input, slug: unique('posted') });
    expect(posted.status).toBe(201);
    const slug = unique('imported');
    const imported = await postImport(t.editor, ndjson([{ ...input, slug }]), 'application/x-ndjson');
    expect(imported.body).toMatchObject({ created: 1, failed: 0 });
    const read = (await t.editor.get(`/api/v1/articles/${slug}`)).body;
    const strip = (a: Record<string, unknown>) => {
      // The public url (also in jsonLd) is made from the slug, which differs, as do the times.
      const {
        id: _i,
        slug: _s,
        url: _url,
        jsonLd: _j,
        createdAt: _c,
        updatedAt: _u,
        reactions: _r,
        ...rest
      } = a;
      return rest;
    };
    expect(strip(read)).toEqual(strip(posted.body));
    const hashes: { content_hash: string; slug: string }[] = await db.query(
      `SELECT slug, content_hash FROM articles WHERE slug = ANY($1)`,
      [[slug, posted.body.slug]],
    );
    expect(hashes).toHaveLength(2);
    // The batch recorded the webhook event of the new public article in the outbox.
    const events: { event: string }[] = await db.query(
      `SELECT event FROM outbox_events WHERE article_id = $1`,
      [read.id],
    );
    expect(events.map((e) => e.event)).toContain('article.published');
  });

  it('text that CSV or COPY treat specially is stored as the article writer stores it', async () => {
    const tricky = {
      title: 'Quotes "inside", commas, a back\\slash, \\N and \\.',
      subtitle: 'a\ttab, a lone\rreturn, \\t and \\n as typed, ends in a backslash\\',
      dateline: 'LINE\nBREAK',
      byline: 'carriage\r\nreturn',
      source: '\\.',
      excerpt: 'NULL',
      bodyText: 'First "para", with\ttab.\n\n\\.\n\nLast',
      status: 'draft',
    };
    // Without a body: body_html and body_text are empty strings, never NULL.
    for (const input of [tricky, { title: 'No body at all', status: 'draft' }]) {
      const posted = await t.editor.post('/api/v1/articles', { ...input, slug: unique('posted') });
      expect(posted.status).toBe(201);
      const slug = unique('imported');
      const imported = await postImport(t.editor, ndjson([{ ...input, slug }]), 'application/x-ndjson');
      expect(imported.body).toMatchObject({ created: 1, failed: 0 });
      const rows: Record<string, unknown>[] = await db.query(
        `SELECT title, subtitle, dateline, byline, source, excerpt, body, body_html, body_text, section_id,
                hero_image, status, published_at, search::text AS search
           FROM articles WHERE slug = ANY($1) ORDER BY slug = $2`,
        [[slug, posted.body.slug], slug],
      );
      expect(rows).toHaveLength(2);
      expect(rows[1]).toEqual(rows[0]);
      expect(rows[1].title).toBe(input.title);
    }
  });

  it('an article changed by an import shows its new version on the very next public read', async () => {
    const externalId = unique('cached');
    const line = (title: string) =>
      ndjson([{ externalId, title, bodyText: 'Same body.', status: 'published' }]);
    expect((await postImport(t.editor, line('Before the import'), 'application/x-ndjson')).body.created).toBe(
      1,
    );
    const slug = (await db.query(`SELECT slug FROM articles WHERE external_id = $1`, [externalId]))[0].slug;
    const page = `query($slug: String!) { article(slug: $slug) { title } }`;
    for (let i = 0; i < 2; i++) {
      expect((await t.anonymous.get(`/api/v1/articles/${slug}`)).body.title).toBe('Before the import');
      expect((await t.anonymous.graphql(page, { slug })).data.article.title).toBe('Before the import');
    }
    expect((await postImport(t.editor, line('After the import'), 'application/x-ndjson')).body.updated).toBe(
      1,
    );
    expect((await t.anonymous.get(`/api/v1/articles/${slug}`)).body.title).toBe('After the import');
    expect((await t.anonymous.graphql(page, { slug })).data.article.title).toBe('After the import');
  });

  it('other content types are 415; other routes still refuse NDJSON; a line with __proto__ changes no prototype', async () => {
    expectProblem(await postImport(t.editor, 'a,b\n', 'text/csv'), 415);
    expectProblem(await postImport(t.editor, '<html></html>', 'application/xml'), 415);
    expectProblem(
      await t.editor.request('POST', '/api/v1/articles', '{"title":"x"}\n', {
        'content-type': 'application/x-ndjson',
      }),
      415,
    );
    expectProblem(await postImport(t.anonymous, '{}\n', 'application/x-ndjson'), 401);
    const slug = unique('proto');
    const answer = await postImport(
      t.editor,
      `{"slug":"${slug}","title":"Proto","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}\n`,
      'application/x-ndjson',
    );
    expect(answer.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const json = await postImport(
      t.editor,
      JSON.stringify([{ slug: unique('arr'), title: 'From an array' }]),
      'application/json',
    );
    expect(json.body).toMatchObject({ created: 1, failed: 0 });
    expectProblem(
      await postImport(t.editor, JSON.stringify({ title: 'not an array' }), 'application/json'),
      400,
    );
  });

  it('an import refused before its body is read (no key, a bad query) still frees its connection for the next request', async () => {
    const { port } = new URL(t.url);
    const body = ndjson(
      Array.from({ length: 4000 }, (_, i) => ({ title: `Unread ${i}`, bodyText: 'x'.repeat(200) })),
    );
    const importRequest = (path: string, key?: string) =>
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n` +
      (key ? `Authorization: Bearer ${key}\r\n` : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    for (const refused of [
      importRequest('/api/v1/imports'),
      importRequest('/api/v1/imports?dryRun=maybe', t.editorKey),
    ]) {
      // Two requests on one keep-alive connection: the refused import, then a read.
      const answers = await new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1');
        let text = '';
        const done = () => {
          socket.destroy();
          resolve(text);
        };
        const giveUp = setTimeout(done, 10_000);
        socket.on('data', (d) => {
          text += d.toString();
          if ((text.match(/HTTP\/1\.1 \d{3}/g) ?? []).length === 2 && text.includes('"status"')) {
            clearTimeout(giveUp);
            setTimeout(done, 50);
          }
        });
        socket.on('error', () => undefined);
        socket.write(refused + 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n');
      });
      expect(answers.match(/HTTP\/1\.1 \d{3}/g)).toEqual([expect.stringMatching(/40[01]/), 'HTTP/1.1 200']);
    }
  });
});
