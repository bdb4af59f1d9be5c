import { loadConfig } from '../../src/config/config';
import { aSection, anArticle, published } from '../support/article-factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Public URLs of articles', () => {
  describe('with the default template', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('every article and summary has an absolute url, the same in REST and GraphQL', async () => {
      const section = await aSection(t, 'World');
      const inSection = await anArticle(t, published({ section }));
      const noSection = await anArticle(t, published());
      const site = `http://localhost:${t.dateline.config.port}`;

      expect(inSection.url).toBe(`${site}/${section}/${inSection.slug}`);
      // The segment of an empty placeholder is left out.
      expect(noSection.url).toBe(`${site}/${noSection.slug}`);

      const read = await t.anonymous.get(`/api/v1/articles/${inSection.slug}`);
      expect(read.body.url).toBe(inSection.url);
      const list = await t.anonymous.get(`/api/v1/articles?section=${section}`);
      expect(list.body.data.map((a: { url: string }) => a.url)).toEqual([inSection.url]);

      const gql = await t.anonymous.graphql(
        `query($slug: String!, $section: String!) {
           article(slug: $slug) { url relatedArticles { url } }
           articles(filter: { section: $section }) { edges { node { url } } }
         }`,
        { slug: inSection.slug, section },
      );
      expect(gql.errors).toBeUndefined();
      expect(gql.data.article.url).toBe(inSection.url);
      expect(gql.data.articles.edges.map((e: { node: { url: string } }) => e.node.url)).toEqual([
        inSection.url,
      ]);
      const created = await t.editor.graphql(
        `mutation { createArticle(input: { title: "Quiet night" }) { url slug } }`,
      );
      expect(created.data.createArticle.url).toBe(`${site}/${created.data.createArticle.slug}`);
    });
  });

  describe('with PUBLIC_SITE_URL and a template of dates, locale and id', () => {
    let t: TestApp;
    beforeAll(async () => {
      const site = loadConfig({
        PUBLIC_SITE_URL: 'https://news.example.com/',
        ARTICLE_URL_TEMPLATE: '/{locale}/{yyyy}/{mm}/{dd}/{section}/{slug}-{id}',
        SITE_NAME: 'The Example Times',
      }).site;
      t = await startTestApp({ site });
    });
    afterAll(() => t.close());

    it('fills each placeholder from the article and leaves out the segments that have none', async () => {
      const section = await aSection(t, 'Business');
      const story = await anArticle(t, published({ section, publishedAt: '2026-03-07T23:30:00.000Z' }));
      expect(story.url).toBe(`https://news.example.com/en/2026/03/07/${section}/${story.slug}-${story.id}`);
      const draft = await anArticle(t, {});
      expect(draft.url).toBe(`https://news.example.com/en/${draft.slug}-${draft.id}`);
      const gql = await t.editor.graphql(`query($id: ID!) { article(id: $id) { url } }`, { id: draft.id });
      expect(gql.data.article.url).toBe(draft.url);
    });
  });

  it('a template that is not a path, names an unknown placeholder or neither slug nor id stops start-up', () => {
    expect(() => loadConfig({ ARTICLE_URL_TEMPLATE: 'news/{slug}' })).toThrow(/ARTICLE_URL_TEMPLATE/);
    expect(() => loadConfig({ ARTICLE_URL_TEMPLATE: '/{category}/{slug}' })).toThrow(/placeholders/);
    expect(() => loadConfig({ ARTICLE_URL_TEMPLATE: '/{section}' })).toThrow(/\{slug\} or \{id\}/);
    expect(() => loadConfig({ PUBLIC_SITE_URL: 'news.example.com' })).toThrow(/PUBLIC_SITE_URL/);
    expect(loadConfig({ PORT: '8080' }).site.url).toBe('http://localhost:8080');
  });
});
