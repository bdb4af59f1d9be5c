import { DataSource } from 'typeorm';
import { REACTIONS_CHANGED } from '../../src/common/cache/cache-invalidation';
import { ClusterBus } from '../../src/common/cluster/cluster-bus';
import type { TestApp } from './test-app';
import { unique } from './test-app';

/** Makes a section (under `parent` when given) and returns its slug. */
export async function aSection(t: TestApp, name = 'Section', parent?: string): Promise<string> {
  const slug = unique(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  const res = await t.editor.post('/api/v1/sections', { slug, name, ...(parent ? { parent } : {}) });
  if (res.status !== 201) throw new Error(`section not created: ${res.status} ${res.text}`);
  return slug;
}

/** Makes an article as an editor (a draft unless told otherwise) and returns the answer body. */
export async function anArticle(t: TestApp, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await t.editor.post('/api/v1/articles', {
    title: `Harbour reopens after storm ${unique('')}`,
    ...('body' in fields || 'bodyHtml' in fields
      ? {}
      : { bodyText: 'The harbour reopened on Tuesday.\n\nFishing boats went out at dawn.' }),
    ...fields,
  });
  if (res.status !== 201) throw new Error(`article not created: ${res.status} ${res.text}`);
  return res.body;
}

export const published = (fields: Record<string, unknown> = {}) => ({ status: 'published', ...fields });

/**
 * What the reactions feature does after its commit: an article's `veryGood` count is set in the
 * database, then the bus announces it (the read caches keep counts from these messages).
 */
export async function setReactionCount(t: TestApp, articleId: string, count: number): Promise<void> {
  await t.dateline.app.get(DataSource).query(
    `INSERT INTO article_reactions (article_id, type, count) VALUES ($1, 'veryGood', $2)
     ON CONFLICT (article_id, type) DO UPDATE SET count = EXCLUDED.count`,
    [articleId, count],
  );
  await t.dateline.app.get(ClusterBus).publish(REACTIONS_CHANGED, { articleId, type: 'veryGood', count });
}
