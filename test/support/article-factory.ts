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
