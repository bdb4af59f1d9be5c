import createClient from 'openapi-fetch';
import type { components, paths } from './dateline-api';

type Article = components['schemas']['Article'];
type Problem = components['schemas']['Problem'];

/** What the tour saw, for the test to compare with the server's own view. */
export interface TourResult {
  created: Article;
  read: Article;
  /** `section.name` of the article read back: null when it has none. */
  sectionName: string | null;
  /** The hero image's alt text, or null when there is no hero image (or no alt). */
  heroAlt: string | null;
  /** The body's headings as `h<level> <text>`: blocks are told apart by their `type`. */
  headings: string[];
  listedSlugs: string[];
  sectionChildren: string[];
  reactionCount: number;
  missing: { status: number; problem: Problem };
  unauthorised: { status: number; problem: Problem };
}

/**
 * What a newsroom frontend or an editor's script does with a client generated from openapi.json:
 * openapi-typescript's types and openapi-fetch's calls, as their documentation shows them. It is
 * type-checked under `strict` with no casts and then run against a real server
 * (test/e2e/openapi-client.e2e-spec.ts): if the document leaves out a path parameter or types a
 * nullable field wrongly, this file stops compiling.
 */
export async function tourWithGeneratedClient(
  baseUrl: string,
  editorKey: string,
  names: { section: string; slug: string },
): Promise<TourResult> {
  const reader = createClient<paths>({ baseUrl });
  const editor = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${editorKey}` } });

  const section = await editor.POST('/api/v1/sections', {
    body: { slug: names.section, name: 'Harbours', description: 'Ports and ferries.' },
  });
  if (!section.data) throw new Error(`section not created: ${describe(section.error)}`);

  const created = await editor.POST('/api/v1/articles', {
    body: {
      title: 'Ferry service resumes after typhoon',
      slug: names.slug,
      dateline: 'SEOUL, South Korea',
      source: 'AP',
      section: section.data.slug,
      tags: ['weather', 'transport'],
      heroImage: { url: 'https://images.example/ferry.jpg', alt: 'A ferry leaves Incheon', caption: null },
      body: [
        { type: 'paragraph', text: 'Ferries left Incheon at dawn.' },
        { type: 'heading', level: 2, text: 'Three days closed' },
      ],
      status: 'published',
    },
  });
  if (!created.data) throw new Error(`article not created: ${describe(created.error)}`);

  // Reading by slug: the path parameter is part of the type, so forgetting it does not compile.
  const read = await reader.GET('/api/v1/articles/{idOrSlug}', {
    params: { path: { idOrSlug: created.data.slug } },
  });
  if (!read.data) throw new Error(`article not read: ${describe(read.error)}`);
  // section and heroImage may be null: strict mode makes the reader say what happens then.
  const sectionName = read.data.section ? read.data.section.name : null;
  const heroAlt = read.data.heroImage?.alt ?? null;
  const headings = read.data.body.flatMap((block) =>
    block.type === 'heading' ? [`h${block.level} ${block.text}`] : [],
  );

  const listed = await reader.GET('/api/v1/articles', {
    params: { query: { section: section.data.slug, limit: 10 } },
  });
  if (!listed.data) throw new Error(`section not listed: ${describe(listed.error)}`);

  const sectionRead = await reader.GET('/api/v1/sections/{idOrSlug}', {
    params: { path: { idOrSlug: section.data.id } },
  });
  if (!sectionRead.data) throw new Error(`section not read: ${describe(sectionRead.error)}`);

  const reacted = await reader.POST('/api/v1/articles/{idOrSlug}/reactions', {
    params: { path: { idOrSlug: created.data.slug } },
    body: { type: 'veryGood', clientId: 'reader-1' },
  });
  if (!reacted.data) throw new Error(`reaction not counted: ${describe(reacted.error)}`);

  // A 404 is a typed problem document: no cast needed to read its members.
  const missing = await reader.GET('/api/v1/articles/{idOrSlug}', {
    params: { path: { idOrSlug: 'no-such-story-anywhere' } },
  });
  if (!missing.error) throw new Error('a missing article was found');

  // An editor's write without a key: 401, a problem as well.
  const unauthorised = await reader.DELETE('/api/v1/articles/{idOrSlug}', {
    params: { path: { idOrSlug: created.data.slug } },
  });
  if (!unauthorised.error) throw new Error('an anonymous delete was accepted');

  return {
    created: created.data,
    read: read.data,
    sectionName,
    heroAlt,
    headings,
    listedSlugs: listed.data.data.map((a) => a.slug),
    sectionChildren: sectionRead.data.children.map((c) => c.slug),
    reactionCount: reacted.data.count,
    missing: { status: missing.response.status, problem: missing.error },
    unauthorised: { status: unauthorised.response.status, problem: unauthorised.error },
  };
}

/** A problem in one line, for the error messages above. */
function describe(problem: Problem | undefined): string {
  if (!problem) return 'no problem document';
  const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
  return `${problem.status} ${problem.title}: ${problem.detail}${fields ? ` (${fields})` : ''}`;
}
