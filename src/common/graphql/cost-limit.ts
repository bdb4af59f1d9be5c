import type { ApolloDriverConfig } from '@nestjs/apollo';
import { getNullableType, GraphQLError, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import {
  CONNECTION_LIST_FIELDS,
  LIST_DEFAULT_SIZE,
  MAX_COST,
  MAX_PAGE_SIZE,
  PAGE_SIZE_ARGUMENTS,
} from './limits';

export interface CostCheck {
  cost: number;
  /** `first`/`limit` arguments above MAX_PAGE_SIZE (or below 1), as "field.argument". */
  badPageSizes: string[];
}

/**
 * Measures an operation: each field costs 1; the fields under a list or a paginated field count
 * as many times as the `first`/`limit` argument asks for (LIST_DEFAULT_SIZE when a list has no
 * such argument). Introspection costs 1 (it is turned off in production anyway).
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
      size = Math.min(Math.max(value, 1), MAX_PAGE_SIZE);
    }
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

/**
 * Refuses, before anything executes, operations over MAX_COST (GRAPHQL_VALIDATION_FAILED) and
 * page sizes outside 1..MAX_PAGE_SIZE (BAD_USER_INPUT). It runs once the operation is known,
 * so the variables' values count too.
 */
export function costLimitPlugin(): NonNullable<ApolloDriverConfig['plugins']>[number] {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, request, operationName }) => {
          let check: CostCheck;
          try {
            check = measureOperation(schema, document, request.variables ?? {}, operationName ?? undefined);
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
          return Promise.resolve();
        },
      }),
  };
}
