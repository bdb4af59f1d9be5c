import { Injectable } from '@nestjs/common';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { AnswerCache } from './answer-cache';

/**
 * How long a GraphQL answer is kept at most. Writes and reaction counts drop the answers that
 * show the article at once; this bounds what nothing announces: view counts, and the related
 * and recommended lists, which gain newly published articles within their own time to live.
 */
export const GRAPHQL_ANSWER_TTL_MS = 5 * 60_000;
const MAX_ANSWERS = 20_000;
const MAX_BYTES = 128 * 2 ** 20;

export interface CachedGraphqlAnswer {
  /** Off the heap, so thousands of kept pages do not slow the garbage collector. */
  body: Buffer;
  contentType: string;
  operationName: string | undefined;
}

/**
 * Public GraphQL answers of article pages, by their exact request. Kept only for anonymous
 * queries whose every root field is `article`, with no errors, and whose resolvers named every
 * article shown; dropped when any of those articles changes (ArticleCache drives it).
 */
@Injectable()
export class GraphqlAnswerCache extends AnswerCache<CachedGraphqlAnswer> {
  constructor() {
    super({
      ttlMs: GRAPHQL_ANSWER_TTL_MS,
      max: MAX_ANSWERS,
      maxSize: MAX_BYTES,
      sizeOf: (a) => a.body.length,
    });
  }
}

const RECORDER = Symbol('dateline:graphql-answer');

/** What one anonymous GraphQL request showed, while it runs, to decide whether to keep it. */
export interface AnswerRecorder {
  since: number;
  key: string;
  ids: string[];
  cacheable: boolean;
  operationName?: string;
}

type Carrier = { [RECORDER]?: AnswerRecorder };

export function startRecording(req: object, recorder: AnswerRecorder): void {
  (req as Carrier)[RECORDER] = recorder;
}

export function recorderOf(req: object | undefined): AnswerRecorder | undefined {
  return req ? (req as Carrier)[RECORDER] : undefined;
}

/** The answer shows these articles: a change to any of them drops it. */
export function recordShown(req: object | undefined, ids: readonly string[]): void {
  const recorder = recorderOf(req);
  if (recorder) recorder.ids.push(...ids);
}

/** The answer depends on something no invalidation covers (a reader's history): never keep it. */
export function recordUncacheable(req: object | undefined): void {
  const recorder = recorderOf(req);
  if (recorder) recorder.cacheable = false;
}

const pageQueries = new WeakMap<DocumentNode, Map<string, boolean>>();

/** A query whose root fields (through fragments) are all `article` (or `__typename`). */
function isArticlePageQuery(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const seen = new Set<string>();
  const rootOnly = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === 'article' || s.name.value === '__typename';
      if (s.kind === Kind.INLINE_FRAGMENT) return rootOnly(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return rootOnly(fragment.selectionSet);
    });
  return rootOnly(operation.selectionSet);
}

/**
 * The Apollo side of the GraphQL answer cache: a request being recorded stays cacheable only if
 * it is an article-page query (decided once per document) and answers without errors.
 */
export function graphqlAnswerPlugin(): NonNullable<ApolloDriverConfig['plugins']>[number] {
  return {
    requestDidStart: ({ contextValue }) => {
      const recorder = recorderOf((contextValue as { req?: object }).req);
      if (!recorder) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation: ({ document, operation, operationName }) => {
          recorder.operationName = operationName ?? undefined;
          const name = operationName ?? '';
          let byName = pageQueries.get(document);
          if (!byName) pageQueries.set(document, (byName = new Map<string, boolean>()));
          let page = byName.get(name);
          if (page === undefined)
            byName.set(name, (page = !!operation && isArticlePageQuery(document, operation)));
          if (!page) recorder.cacheable = false;
          return Promise.resolve();
        },
        willSendResponse: ({ response, errors }) => {
          const body = response.body;
          if (errors?.length || body.kind !== 'single' || body.singleResult.errors?.length)
            recorder.cacheable = false;
          return Promise.resolve();
        },
      });
    },
  };
}
