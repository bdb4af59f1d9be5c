import { ArticleWriter } from '../../src/articles/article-writer.service';
import { startTestApp, unique, type TestApp } from '../support/test-app';

describe('ArticleWriter for imports: many articles per transaction, upsert by externalId', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates, leaves unchanged input alone, updates on change, and applies reaction counts on create', async () => {
    const writer = t.dateline.app.get(ArticleWriter);
    const externalId = unique('wire');
    const line = {
      externalId,
      title: 'Wire story',
      bodyHtml: '<p>First paragraph.</p><p>Second.</p>',
      tags: [{ slug: unique('wire-tag'), name: 'Wire Tag' }],
      status: 'published' as const,
      publishedAt: '2026-01-02T03:04:05.000Z',
      reactions: [{ type: 'veryGood', count: 7 }],
    };
    const other = { ...line, externalId: unique('wire'), reactions: null };
    const first = await writer.run(async (m) => [
      await writer.upsertInTransaction(m, line, 'importer'),
      await writer.upsertInTransaction(m, other, 'importer'),
    ]);
    expect(first.map((r) => r.outcome)).toEqual(['created', 'created']);
    const again = await writer.run((m) => writer.upsertInTransaction(m, line, 'importer'));
    expect(again).toEqual({ id: first[0].id, outcome: 'unchanged' });
    const changed = await writer.run((m) =>
      writer.upsertInTransaction(
        m,
        { ...line, title: 'Wire story, updated', reactions: [{ type: 'veryGood', count: 1 }] },
        'importer',
      ),
    );
    expect(changed).toEqual({ id: first[0].id, outcome: 'updated' });

    const read = await t.anonymous.get(`/api/v1/articles/${first[0].id}`);
    expect(read.body).toMatchObject({
      externalId,
      title: 'Wire story, updated',
      publishedAt: '2026-01-02T03:04:05.000Z',
      tags: [{ slug: line.tags[0].slug, name: 'Wire Tag' }],
      reactions: [{ type: 'veryGood', count: 7 }],
    });
    expect((await t.editor.get(`/api/v1/articles/${first[0].id}/revisions`)).body.data).toHaveLength(1);
  });
});
