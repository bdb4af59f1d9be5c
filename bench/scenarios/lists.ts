import { latency } from '../load';
import { rotate, type Scenario } from '../scenario';

/**
 * The three headline lists, measured as latency (p95) with a few sequential clients: every
 * request below rotates over slugs, sections or readers so that most answers are computed, not
 * served from the 30 s ranking cache (rankings rotate over sections for that reason).
 */
const REQUESTS = 400;
const CONCURRENCY = 2;

export const rankingsPopular: Scenario = {
  name: 'rankings 24h',
  description:
    'GET /api/v1/rankings?window=24h&limit=10, then by section (rotating; each section recomputed at most every 30 s). Latency with 2 sequential clients.',
  run: (ctx) => {
    const section = rotate(['', ...ctx.sectionSlugs.map((s) => `&section=${s}`)]);
    return latency(
      ctx.appUrl,
      () => `/api/v1/rankings?window=24h&limit=10${section()}`,
      REQUESTS,
      CONCURRENCY,
    );
  },
};

export const rankingsTrending: Scenario = {
  name: 'rankings trending',
  description:
    'GET /api/v1/rankings?sort=trending (24h), rotating over sections. Latency with 2 sequential clients.',
  run: (ctx) => {
    const section = rotate(['', ...ctx.sectionSlugs.map((s) => `&section=${s}`)]);
    return latency(ctx.appUrl, () => `/api/v1/rankings?sort=trending${section()}`, REQUESTS, CONCURRENCY);
  },
};

export const relatedArticles: Scenario = {
  name: 'related',
  description:
    'GET /api/v1/articles/{slug}/related (5), rotating over every slug: one scoring query + the summaries. Latency with 2 sequential clients.',
  run: (ctx) => {
    const slug = rotate(ctx.slugs);
    return latency(ctx.appUrl, () => `/api/v1/articles/${slug()}/related`, REQUESTS, CONCURRENCY);
  },
};

export const recommendationsWithoutReader: Scenario = {
  name: 'recommendations without a reader',
  description:
    'GET /api/v1/recommendations?articleId={slug} (5), no clientId: related, then popular in the section and site-wide, rotating over slugs. Latency with 2 sequential clients.',
  run: (ctx) => {
    const slug = rotate(ctx.slugs);
    return latency(ctx.appUrl, () => `/api/v1/recommendations?articleId=${slug()}`, REQUESTS, CONCURRENCY);
  },
};

export const recommendations: Scenario = {
  name: 'recommendations',
  description:
    'GET /api/v1/recommendations?clientId={reader}&articleId={slug} (5), rotating over readers with views and slugs. Latency with 2 sequential clients.',
  run: (ctx) => {
    const reader = rotate(ctx.clientIds.length ? ctx.clientIds : ['nobody']);
    const slug = rotate(ctx.slugs);
    return latency(
      ctx.appUrl,
      () => `/api/v1/recommendations?clientId=${reader()}&articleId=${slug()}`,
      REQUESTS,
      CONCURRENCY,
    );
  },
};
