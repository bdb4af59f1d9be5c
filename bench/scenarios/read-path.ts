import { load, type LoadOptions } from '../load';
import { rotate, type BenchContext, type Scenario } from '../scenario';

/** Reads every slug once: what a site's readers have done long before any hour is measured. */
function everySlugOnce(
  url: (ctx: BenchContext) => string,
  request: (slug: string) => ReturnType<LoadOptions['next']>,
) {
  return (ctx: BenchContext) => {
    const slug = rotate(ctx.slugs);
    return load({
      url: url(ctx),
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      amount: ctx.slugs.length,
      next: () => request(slug()),
    });
  };
}

export const baselineArticleBySlug: Scenario = {
  name: 'baseline: article by slug',
  description:
    'raw node:http + pg: one indexed SELECT of the article row by slug, JSON.stringify (rotating over every slug).',
  warmUp: everySlugOnce(
    (ctx) => ctx.baselineUrl,
    (slug) => ({ path: `/articles/${slug}` }),
  ),
  run: (ctx) => {
    const slug = rotate(ctx.slugs);
    return load({
      url: ctx.baselineUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({ path: `/articles/${slug()}` }),
    });
  },
};

export const restArticleBySlug: Scenario = {
  name: 'REST article by slug',
  description:
    'GET /api/v1/articles/{slug}, the whole Article (body, breadcrumb, tags, reactions), rotating over every slug.',
  baseline: baselineArticleBySlug.name,
  warmUp: everySlugOnce(
    (ctx) => ctx.appUrl,
    (slug) => ({ path: `/api/v1/articles/${slug}` }),
  ),
  run: (ctx) => {
    const slug = rotate(ctx.slugs);
    return load({
      url: ctx.appUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({ path: `/api/v1/articles/${slug()}` }),
    });
  },
};

export const restListBySection: Scenario = {
  name: 'REST list of 20 by section',
  description:
    'GET /api/v1/articles?section={slug}&limit=20, rotating over every section (descendants included).',
  baseline: baselineArticleBySlug.name,
  run: (ctx) => {
    const section = rotate(ctx.sectionSlugs);
    return load({
      url: ctx.appUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({ path: `/api/v1/articles?section=${section()}&limit=20` }),
    });
  },
};

const ARTICLE_PAGE = `query Page($slug: String!) {
  article(slug: $slug) {
    id slug title subtitle dateline byline source publishedAt bodyHtml
    section { slug name } breadcrumb { slug name } tags { slug name }
    reactions { type count } viewCount
    heroImage { url alt caption credit width height }
    related(first: 5) { reason article { slug title publishedAt } }
    recommendations(first: 5) { reason article { slug title publishedAt } }
  }
}`;

export const articlePage = (slug: string) => ({
  path: '/graphql',
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: ARTICLE_PAGE, variables: { slug } }),
});

export const graphqlArticlePage: Scenario = {
  name: 'GraphQL article page',
  description:
    'POST /graphql: one article by slug with section, breadcrumb, tags, reactions, hero image, related(5) and recommendations(5) (anonymous), rotating over every slug.',
  baseline: baselineArticleBySlug.name,
  warmUp: everySlugOnce((ctx) => ctx.appUrl, articlePage),
  run: (ctx) => {
    const slug = rotate(ctx.slugs);
    return load({
      url: ctx.appUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => articlePage(slug()),
    });
  },
};

const LIST = `query List($section: String) {
  articles(filter: { section: $section }, first: 20) {
    edges { node { id slug title excerpt publishedAt section { slug name } sections { slug } tags { slug name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const graphqlList: Scenario = {
  name: 'GraphQL list of 20',
  description:
    'POST /graphql: articles(first: 20) by section with their section, sections and tags, rotating over every section.',
  baseline: baselineArticleBySlug.name,
  run: (ctx) => {
    const section = rotate(ctx.sectionSlugs);
    return load({
      url: ctx.appUrl,
      connections: ctx.connections,
      durationSeconds: ctx.durationSeconds,
      next: () => ({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: LIST, variables: { section: section() } }),
      }),
    });
  },
};
