import type { Scenario } from '../scenario';
import { cliImport } from './imports';
import {
  baselineArticleBySlug,
  graphqlArticlePage,
  graphqlList,
  restArticleBySlug,
  restListBySection,
} from './read-path';

/** Every scenario of `npm run bench`, in table order. Add a scenario: one line here. */
export const SCENARIOS: Scenario[] = [
  baselineArticleBySlug,
  restArticleBySlug,
  restListBySection,
  graphqlArticlePage,
  graphqlList,
  cliImport,
];
