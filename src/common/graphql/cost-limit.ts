import {
  getNullableType,
  GraphQLError,
  isListType,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import {
  CONNECTION_LIST_FIELDS,
  DEFAULT_PAGE_SIZE,
  LIST_DEFAULT_SIZE,
  MAX_COST,
  MAX_PAGE_SIZE,
  PAGE_SIZE_ARGUMENTS,
} from './limits';

const PAGE_SIZE_NAMES: ReadonlySet<string> = new Set(PAGE_SIZE_ARGUMENTS);

export interface CostCheck {
  cost: number;
  /** `first`/`last`/`limit` arguments above MAX_PAGE_SIZE (or below 1), as "field.argument". */
  badPageSizes: string[];
}

/**
 * Measures an operation: each field costs 1; the fields under a list or a paginated field count
 * as many times as the `first`/`last`/`limit` argument asks for (DEFAULT_PAGE_SIZE when a
 * paginated field is given none, LIST_DEFAULT_SIZE when a list has no such argument). Introspection costs 1 (it is turned off in production anyway).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): CostCheck {
  const badPageSizes: string[] = [];
  const estimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 1;
    let size: number | undefined;
    for (const name of PAGE_SIZE_ARGUMENTS) {
      const value: unknown = args[name];
      if (typeof value !== 'number') continue;
      if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE)
        badPageSizes.push(`${field.name}.${name}`);
      // `first` and `last` together are refused when the field runs; until then, the larger counts.
      size = Math.max(size ?? 1, Math.min(Math.max(value, 1), MAX_PAGE_SIZE));
    }
    // A paginated field asked without a size (a connection's `first` and `last` have no schema
    // default: `last` alone must not get a `first` too) returns a default page.
    if (size === undefined && field.args.some((a) => PAGE_SIZE_NAMES.has(a.name))) size = DEFAULT_PAGE_SIZE;
    const connectionList = (CONNECTION_LIST_FIELDS as readonly string[]).includes(field.name);
    if (size === undefined && !connectionList && isListType(getNullableType(field.type))) {
      size = LIST_DEFAULT_SIZE;
    }
    return 1 + childComplexity * (size ?? 1);
  };
  const cost = getComplexity({ schema, query: document, variables, operationName, estimators: [estimator] });
  return { cost, badPageSizes };
}

function refusal(message: string, code: 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT'): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/** Type names of the variables that can change a cost: page sizes (Int) and @include/@skip (Boolean). */
const COST_VARIABLE_TYPES = new Set(['Int', 'Boolean']);
/** Distinct cost-relevant variable values remembered per document before starting over. */
const MAX_MEMO_PER_DOCUMENT = 64;
const ABSENT = '\u0000absent';

function namedTypeOf(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedTypeOf(type.type);
}

/**
 * What a cost can depend on besides the document: the operation's name and the values of its
 * Int and Boolean variables. Other variables (slugs, ids, filters) never change it.
 */
function costKey(document: DocumentNode, variables: Record<string, unknown>, operationName?: string): string {
  const relevant: unknown[] = [operationName ?? null];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName !== undefined && def.name?.value !== operationName) continue;
    for (const v of def.variableDefinitions ?? []) {
      if (COST_VARIABLE_TYPES.has(namedTypeOf(v.type))) {
        const name = v.variable.name.value;
        // An absent variable takes its default; an explicit null does not.
        relevant.push(name, name in variables ? variables[name] : ABSENT);
      }
    }
  }
  return JSON.stringify(relevant);
}

/**
 * Refuses, before anything executes, operations over MAX_COST (GRAPHQL_VALIDATION_FAILED) and
 * page sizes outside 1..MAX_PAGE_SIZE (BAD_USER_INPUT). It runs once the operation is known,
 * so the variables' values count too. A document's cost is measured once per distinct set of
 * cost-relevant variables (Apollo hands the same parsed document to every request with the same
 * text), so a hot query is not walked again on every request. Both transports use one instance,
 * through GraphqlRules.admit.
 */
export class CostLimit {
  private readonly measured = new WeakMap<DocumentNode, Map<string, CostCheck>>();

  /** The operation's cost; throws the refusal (a GraphQLError with its code) when it is over a limit. */
  check(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName?: string,
  ): number {
    let check: CostCheck;
    try {
      check = this.measure(schema, document, variables, operationName);
    } catch (err) {
      // getComplexity throws on variables that do not fit their types: that is bad input.
      throw refusal(err instanceof Error ? err.message : 'Invalid variables.', 'BAD_USER_INPUT');
    }
    if (check.badPageSizes.length > 0) {
      throw refusal(
        `Page size must be between 1 and ${MAX_PAGE_SIZE}: ${check.badPageSizes.join(', ')}.`,
        'BAD_USER_INPUT',
      );
    }
    if (check.cost > MAX_COST) {
      throw refusal(
        `Query cost ${check.cost} exceeds the limit of ${MAX_COST}; ask for fewer items or fields.`,
        'GRAPHQL_VALIDATION_FAILED',
      );
    }
    return check.cost;
  }

  private measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName?: string,
  ): CostCheck {
    const key = costKey(document, variables, operationName);
    let checks = this.measured.get(document);
    const known = checks?.get(key);
    if (known) return known;
    // Variables of other types are checked here the first time; later, by execution itself
    // (BAD_USER_INPUT either way).
    const check = measureOperation(schema, document, variables, operationName);
    if (!checks || checks.size >= MAX_MEMO_PER_DOCUMENT)
      this.measured.set(document, (checks = new Map<string, CostCheck>()));
    checks.set(key, check);
    return check;
  }
}
