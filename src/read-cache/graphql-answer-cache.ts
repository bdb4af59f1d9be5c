import { Injectable } from '@nestjs/common';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { Clock } from '../common/clock/clock';
import { AnswerCache } from './answer-cache';
import { LIST_TTL_MS } from './list-cache';

/**
 * How long an article page's GraphQL answer is kept at most (each one a random 50–100 % of it).
 * Writes and reaction counts drop the answers that show the article at once; this bounds what
 * nothing announces: view counts, and the related and recommended lists, which gain newly
 * published articles within the related lists' own time to live (the same 10 minutes).
 */
export const GRAPHQL_PAGE_TTL_MS = 10 * 60_000;
const MAX_PAGES = 20_000;
const MAX_PAGE_BYTES = 128 * 2 ** 20;
const MAX_LISTS = 2_000;
const MAX_LIST_BYTES = 32 * 2 ** 20;

export interface CachedGraphqlAnswer {
  /** Off the heap, so thousands of kept pages do not slow the garbage collector. */
  body: Buffer;
  contentType: string;
  operationName: string | undefined;
}

/**
 * What a kept answer is: an article page (root fields all `article`), dropped when an article it
 * shows changes; or a list (root fields `articles`, perhaps with `article`), dropped on any
 * article write like the REST lists, and kept at most LIST_TTL_MS.
 */
export type AnswerKind = 'page' | 'list';

export interface AnswerSince {
  page: number;
  list: number;
}

/**
 * Public GraphQL answers by their exact request. Kept only for anonymous queries of the two kinds
 * above, with no errors, whose resolvers named every article shown (ArticleCache drives the
 * invalidation).
 */
@Injectable()
export class GraphqlAnswerCache {
  private readonly pages: AnswerCache<CachedGraphqlAnswer>;
  private readonly lists: AnswerCache<CachedGraphqlAnswer>;

  constructor(clock: Clock) {
    const sizeOf = (a: CachedGraphqlAnswer) => a.body.length;
    this.pages = new AnswerCache(
      { ttlMs: GRAPHQL_PAGE_TTL_MS, spreadTtl: true, max: MAX_PAGES, maxSize: MAX_PAGE_BYTES, sizeOf },
      clock,
    );
    this.lists = new AnswerCache(
      { ttlMs: LIST_TTL_MS, max: MAX_LISTS, maxSize: MAX_LIST_BYTES, sizeOf },
      clock,
    );
  }

  get(key: string): CachedGraphqlAnswer | undefined {
    return this.pages.get(key) ?? this.lists.get(key);
  }

  /** A miss of this request being answered now: wait for it, then look again (single-flight). */
  inFlight(key: string): Promise<void> | undefined {
    return this.pages.inFlight(key);
  }

  /** This request answers the miss; call the function given back once the answer is sent. */
  startFill(key: string): () => void {
    return this.pages.startFill(key);
  }

  begin(): AnswerSince {
    return { page: this.pages.begin(), list: this.lists.begin() };
  }

  store(
    kind: AnswerKind,
    since: AnswerSince,
    key: string,
    answer: CachedGraphqlAnswer,
    ids: string[],
    untilMs?: number,
  ): void {
    if (kind === 'page') this.pages.store(since.page, key, answer, ids, untilMs);
    else this.lists.store(since.list, key, answer, ids, untilMs);
  }

  /** These articles' reaction counts changed: drop the answers that show them. */
  countsChanged(ids: readonly string[]): void {
    this.pages.invalidate(ids);
    this.lists.invalidate(ids);
  }

  /** These articles were written: drop the pages that show them, and every list. */
  articlesChanged(ids: readonly string[]): void {
    this.pages.invalidate(ids);
    this.lists.clear();
  }

  clear(): void {
    this.pages.clear();
    this.lists.clear();
  }
}

const RECORDER = Symbol('dateline:graphql-answer');

/** What one anonymous GraphQL request showed, while it runs, to decide whether to keep it. */
export interface AnswerRecorder {
  since: AnswerSince;
  key: string;
  ids: string[];
  /** When the answer changes with nothing to announce it (epoch ms): kept until then at most. */
  untilMs?: number;
  cacheable: boolean;
  /** Set once the operation is known. */
  kind?: AnswerKind;
  operationName?: string;
}

type Carrier = { [RECORDER]?: AnswerRecorder };

export function startRecording(req: object, recorder: AnswerRecorder): void {
  (req as Carrier)[RECORDER] = recorder;
}

export function recorderOf(req: object | undefined): AnswerRecorder | undefined {
  return req ? (req as Carrier)[RECORDER] : undefined;
}

export const kinds = new WeakMap<DocumentNode, Map<string, AnswerKind | null>>();

/**
 * 'page' for a query whose root fields (through fragments) are all `article`, 'list' when they
 * are `articles` and `article`, null otherwise (never kept).
 */
export function answerKind(document: DocumentNode, operation: OperationDefinitionNode): AnswerKind | null {
  if (operation.operation !== OperationTypeNode.QUERY) return null;
  const fragments = new Map(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) {
        names.add(s.name.value);
        return true;
      }
      if (s.kind === Kind.INLINE_FRAGMENT) return collect(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return collect(fragment.selectionSet);
    });
  if (!collect(operation.selectionSet)) return null;
  names.delete('__typename');
  if ([...names].some((n) => n !== 'article' && n !== 'articles')) return null;
  if (names.has('articles')) return 'list';
  return names.has('article') ? 'page' : null;
}
