import { ndjson, NDJSON, postImport } from '../support/imports';
import { startTestApp, unique, type TestApp } from '../support/test-app';

/**
 * An import writes through the same batch as POST /articles (article-batch.ts), in upsert mode:
 * many articles per transaction, each found again by its externalId.
 */
describe('The article write path for imports: many articles per transaction, upsert by externalId', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const run = async (lines: unknown[]) =>
    (await postImport(t.editor, ndjson(lines), NDJSON['content-type'])).body as Record<string, number>;

  it('creates, leaves unchanged input alone, updates on change, and applies reaction counts on create', async () => {
    const externalId = unique('wire');
    const slug = unique('wire-story');
    const line = {
      externalId,
      slug,
      title: 'Wire story',
      bodyHtml: '<p>First paragraph.</p><p>Second.</p>',
      tags: [{ slug: unique('wire-tag'), name: 'Wire Tag' }],
      status: 'published' as const,
      publishedAt: '2026-01-02T03:04:05.000Z',
      reactions: [{ type: 'veryGood', count: 7 }],
    };
    const other = { ...line, externalId: unique('wire'), slug: unique('wire-story'), reactions: null };
    expect(await run([line, other])).toMatchObject({ created: 2, updated: 0, unchanged: 0, failed: 0 });
    expect(await run([line])).toMatchObject({ created: 0, updated: 0, unchanged: 1, failed: 0 });
    expect(
      await run([{ ...line, title: 'Wire story, updated', reactions: [{ type: 'veryGood', count: 1 }] }]),
    ).toMatchObject({ created: 0, updated: 1, unchanged: 0, failed: 0 });

    const read = await t.anonymous.get(`/api/v1/articles/${slug}`);
    const id = read.body.id as string;
    expect(read.body).toMatchObject({
      externalId,
      title: 'Wire story, updated',
      publishedAt: '2026-01-02T03:04:05.000Z',
      tags: [{ slug: line.tags[0].slug, name: 'Wire Tag' }],
      reactions: [{ type: 'veryGood', count: 7 }],
    });
    expect((await t.editor.get(`/api/v1/articles/${id}/revisions`)).body.data).toHaveLength(1);
  });
});
