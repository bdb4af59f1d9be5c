import {
  getArgumentValues,
  getDirectiveValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { DomainError } from '../errors/domain-error';
import { problemHeaders } from '../errors/problem';
import type { DatelineRequest } from '../http/request-context';
import type { RateLimitService } from '../rate-limit/rate-limit.service';
import { isFullTextQuery, rateLimitHeaders, readClientOf, spendPublicRead } from '../rate-limit/read-budget';
import { SEARCH_FIELDS } from './limits';

type Variables = Record<string, unknown>;

/** False when @skip or @include leaves the selection out for these variables. */
function included(node: SelectionNode, variables: Variables): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * A field's arguments with these variables, or none when they do not fit (execution then refuses
 * the variables as BAD_USER_INPUT, before any search runs).
 */
function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Variables,
): Variables {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {};
  }
}

/**
 * How many full-text searches a query runs: its root fields (aliases and fragments included,
 * @skip/@include honoured) that are SEARCH_FIELDS with search text that is not blank.
 */
export function countSearches(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): number {
  const query = schema.getQueryType();
  if (operation.operation !== OperationTypeNode.QUERY || !query) return 0;
  const fields = query.getFields();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const count = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let n = 0;
    for (const s of set.selections) {
      if (!included(s, variables)) continue;
      if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet, seen);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (fragment && !seen.has(s.name.value))
          n += count(fragment.selectionSet, new Set([...seen, s.name.value]));
      } else {
        const searchText = SEARCH_FIELDS[s.name.value];
        const field = fields[s.name.value];
        if (searchText && field && isFullTextQuery(searchText(argumentsOf(field, s, variables)))) n++;
      }
    }
    return n;
  };
  return count(operation.selectionSet, new Set());
}

/** What the Apollo plugin knows of an operation once it is resolved. */
export interface ResolvedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Variables;
  cost: number;
}

/**
 * Spends an operation's cost, and its full-text searches, from the client's read budgets before it
 * runs, setting RateLimit-* on the answer. When a budget is spent the whole operation is refused:
 * HTTP 429 with Retry-After and RateLimit-*, and one RATE_LIMITED error.
 */
export async function spendOperationBudget(
  limits: RateLimitService,
  req: DatelineRequest | undefined,
  op: ResolvedOperation,
  headers: { set(name: string, value: string): unknown },
): Promise<void> {
  if (!req || readClientOf(req) === null) return;
  try {
    const searches = limits.enabled('searches')
      ? countSearches(op.schema, op.document, op.operation, op.variables)
      : 0;
    const state = await spendPublicRead(limits, req, { searches, cost: op.cost });
    if (state) for (const [name, value] of Object.entries(rateLimitHeaders(state))) headers.set(name, value);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'RATE_LIMITED') throw err;
    throw new GraphQLError(err.message, {
      originalError: err,
      extensions: {
        code: 'RATE_LIMITED',
        // Apollo answers with this status and these headers (any Map will do).
        http: { status: 429, headers: new Map(Object.entries(problemHeaders(err))) },
      },
    });
  }
}
