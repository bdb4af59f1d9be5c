import type { Scenario } from '../scenario';
import { crawler, graphqlArticlePageFirstRead, restArticleFirstRead } from './first-reads';
import {
  rankingsPopular,
  rankingsTrending,
  recommendations,
  recommendationsWithoutReader,
  relatedArticles,
} from './lists';
import { articleUpdate } from './editing';
import { bareRowsBaseline, cliImport, hostileXmlImport } from './imports';
import {
  baselineArticleBySlug,
  graphqlArticlePage,
  graphqlList,
  restArticleBySlug,
  restListBySection,
} from './read-path';
import { baselineReaction, restReactionHot } from './reactions';
import { baselineStaticFile, renditionCached, renditionFirstRequest } from './renditions';

/** Every scenario of `npm run bench`, in table order. Add a scenario: one line here. */
export const SCENARIOS: Scenario[] = [
  baselineArticleBySlug,
  restArticleBySlug,
  restArticleFirstRead,
  restListBySection,
  graphqlArticlePage,
  graphqlArticlePageFirstRead,
  graphqlList,
  crawler,
  baselineReaction,
  restReactionHot,
  rankingsPopular,
  rankingsTrending,
  relatedArticles,
  recommendations,
  recommendationsWithoutReader,
  bareRowsBaseline,
  cliImport,
  hostileXmlImport,
  articleUpdate,
  baselineStaticFile,
  renditionFirstRequest,
  renditionCached,
];
