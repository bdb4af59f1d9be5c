import type { Scenario } from '../scenario';
import { rankingsPopular, rankingsTrending, recommendations, relatedArticles } from './lists';
import { bareRowsBaseline, cliImport, hostileXmlImport } from './imports';
import {
  baselineArticleBySlug,
  graphqlArticlePage,
  graphqlList,
  restArticleBySlug,
  restListBySection,
} from './read-path';
import { baselineReaction, restReactionHot } from './reactions';

/** Every scenario of `npm run bench`, in table order. Add a scenario: one line here. */
export const SCENARIOS: Scenario[] = [
  baselineArticleBySlug,
  restArticleBySlug,
  restListBySection,
  graphqlArticlePage,
  graphqlList,
  baselineReaction,
  restReactionHot,
  rankingsPopular,
  rankingsTrending,
  relatedArticles,
  recommendations,
  bareRowsBaseline,
  cliImport,
  hostileXmlImport,
];
