import * as jsonld from 'jsonld';
import { aSection, anArticle, published } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Nothing is fetched in the tests: https://schema.org resolves to a local context that maps every
 * term into the schema.org vocabulary, as the real one does for the terms used here.
 */
const SCHEMA_CONTEXT = { '@context': { '@vocab': 'https://schema.org/' } };
/** jsonld's N-Quads output, typed as it is at run time. */
const toRdf = jsonld.toRDF as unknown as (doc: object, options: object) => Promise<string>;
const documentLoader = (url: string) => {
  if (url.replace(/\/$/, '') === 'https://schema.org' || url === 'http://schema.org/')
    return Promise.resolve({ contextUrl: undefined, documentUrl: url, document: SCHEMA_CONTEXT });
  return Promise.reject(new Error(`nothing is fetched in tests: ${url}`));
};

describe('Structured data (schema.org NewsArticle)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('jsonLd of a story expands to the expected triples, the same in REST and GraphQL; no field is empty', async () => {
    const section = await aSection(t, 'Weather');
    const story = await anArticle(
      t,
      published({
        section,
        title: 'Ferry service resumes after typhoon',
        byline: 'Min-ji Park',
        excerpt: 'Ferries left Incheon at dawn.',
        heroImage: { url: 'https://img.example/ferry.jpg', alt: 'A ferry' },
      }),
    );
    const rest = (await t.anonymous.get(`/api/v1/articles/${story.slug}`)).body.jsonLd;
    const gql = await t.anonymous.graphql(`query($s: String!) { article(slug: $s) { jsonLd } }`, {
      s: story.slug,
    });
    expect(gql.errors).toBeUndefined();
    expect(gql.data.article.jsonLd).toEqual(rest);

    const quads = await toRdf(rest, { format: 'application/n-quads', documentLoader });
    const lines = quads.split('\n');
    const has = (predicate: string, object: string) =>
      expect(lines.some((l) => l.includes(`<https://schema.org/${predicate}> ${object}`))).toBe(true);
    has('headline', '"Ferry service resumes after typhoon"');
    has('datePublished', `"${story.publishedAt}"`);
    has('dateModified', `"${story.updatedAt}"`);
    has('image', '"https://img.example/ferry.jpg"');
    has('articleSection', '"Weather"');
    has('inLanguage', '"en"');
    has('name', '"Min-ji Park"');
    has('name', '"Dateline"');
    expect(lines.filter((l) => l.includes('<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('<https://schema.org/NewsArticle>'),
        expect.stringContaining('<https://schema.org/Person>'),
        expect.stringContaining('<https://schema.org/Organization>'),
      ]),
    );
    expect(rest.mainEntityOfPage).toEqual({ '@type': 'WebPage', '@id': story.url });
    const values = JSON.stringify(rest);
    expect(values).not.toMatch(/:""|:null|:\[\]/);

    // A draft without byline, section, date or picture: those fields are left out, not made up
    // (its description is the excerpt taken from its body).
    const bare = await anArticle(t, { title: 'Quiet night' });
    const ld = (await t.editor.get(`/api/v1/articles/${bare.id}`)).body.jsonLd;
    expect(Object.keys(ld).sort()).toEqual(
      [
        '@context',
        '@type',
        'headline',
        'url',
        'mainEntityOfPage',
        'dateModified',
        'description',
        'inLanguage',
        'publisher',
      ].sort(),
    );
  });
});
