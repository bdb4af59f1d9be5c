import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { Inject, Injectable } from '@nestjs/common';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { DatelineRequest } from '../http/request-context';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { CostLimit } from './cost-limit';
import { formatGraphqlError } from './format-error';
import { MAX_ALIASES, MAX_DEPTH } from './limits';
import { spendOperationBudget } from './operation-budget';

/**
 * GraphQL Armor's rules throw by default; reporting instead makes the refusal an ordinary
 * validation error (GRAPHQL_VALIDATION_FAILED, 400), which is how its Apollo integration uses them.
 */
const armor = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) =>
      ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''))),
  ],
};

/** An operation once it is known, with its variables. */
export interface ResolvedOperationRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  /** Apollo's type allows none, though an operation it resolved always has one. */
  operation: OperationDefinitionNode | undefined;
  operationName?: string;
  variables: Record<string, unknown>;
}

/** Where RateLimit-* headers go; over WebSocket there is no answer to carry them. */
interface HeaderSink {
  set(name: string, value: string): unknown;
}
const NO_HEADERS: HeaderSink = { set: () => undefined };

/**
 * What an operation must pass, whichever transport brings it: one instance, used by Apollo
 * Server for GraphQL over HTTP (graphql.config.ts) and by the graphql-ws server (ws-server.ts),
 * so a rule added here holds on both. The document-size limit is document-size.ts.
 */
@Injectable()
export class GraphqlRules {
  /** Run after graphql-js's own rules: introspection (when off), depth and aliases. */
  readonly validationRules: readonly ValidationRule[];
  /** Cost and page sizes, once the operation and its variables are known. */
  readonly cost = new CostLimit();
  private readonly hideSchemaDetails: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly limits: RateLimitService,
  ) {
    this.hideSchemaDetails = !config.graphqlIntrospection;
    this.validationRules = [
      // graphql-js's rule rather than Apollo's `introspection: false`, which the WebSocket side
      // would not see.
      ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
      maxDepthRule({ n: MAX_DEPTH, ...armor }),
      maxAliasesRule({ n: MAX_ALIASES, ...armor }),
    ];
  }

  /**
   * Once the operation is known: refuses it over the cost or page-size limits, then spends its
   * cost (and its full-text searches) from the client's per-minute read budgets, or refuses it
   * with RATE_LIMITED (operation-budget.ts). Throws the refusal as a coded GraphQLError.
   */
  async admit(
    req: DatelineRequest | undefined,
    op: ResolvedOperationRequest,
    headers: HeaderSink = NO_HEADERS,
  ): Promise<void> {
    const cost = this.cost.check(op.schema, op.document, op.variables, op.operationName);
    if (op.operation)
      await spendOperationBudget(this.limits, req, { ...op, operation: op.operation, cost }, headers);
  }

  /**
   * admit as an Apollo Server plugin, for GraphQL over HTTP (RateLimit-* on the answer). Answers
   * from the GraphQL answer cache never get here, so they spend nothing.
   */
  plugin(): NonNullable<ApolloDriverConfig['plugins']>[number] {
    return {
      requestDidStart: () =>
        Promise.resolve({
          didResolveOperation: ({
            schema,
            document,
            request,
            operationName,
            operation,
            contextValue,
            response,
          }) =>
            this.admit(
              (contextValue as { req?: DatelineRequest }).req,
              {
                schema,
                document,
                operation,
                operationName: operationName ?? undefined,
                variables: request.variables ?? {},
              },
              response.http.headers,
            ),
        }),
    };
  }

  /** Every GraphQL error a client sees, coded from the error table (format-error.ts). */
  readonly formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
    formatGraphqlError(formatted, error, { hideSchemaDetails: this.hideSchemaDetails });
}
