import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { AppConfig } from '../../config/config';
import type { DatelineRequest } from '../http/request-context';
import { costLimitPlugin } from './cost-limit';
import { formatGraphqlError } from './format-error';
import type { GraphqlLoaders, RequestLoaders } from './loaders';
import { MAX_ALIASES, MAX_DEPTH } from './limits';

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

export interface GraphqlContext {
  req: DatelineRequest;
  /** This request's DataLoaders, by feature name. */
  loaders: RequestLoaders;
}

/**
 * Apollo Server on the same port, at /graphql, with the schema built from the code, following
 * GraphQL over HTTP: `application/graphql-response+json` for clients that accept it, GET for
 * queries only (a mutation over GET is 405), CSRF prevention, no batching, and the limits of
 * limits.ts checked before any resolver runs.
 */
export function graphqlOptions(config: AppConfig, loaders: GraphqlLoaders): ApolloDriverConfig {
  const hideSchema = !config.graphqlIntrospection;
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: config.graphqlIntrospection,
    // Field suggestions ("Did you mean …?") leak the schema as much as introspection does.
    hideSchemaDetailsFromClientErrors: hideSchema,
    playground: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries in Apollo's bounded in-memory LRU cache (about 30 MiB): a
    // client registering endless distinct documents evicts old ones instead of growing memory.
    cache: 'bounded',
    persistedQueries: {},
    validationRules: [maxDepthRule({ n: MAX_DEPTH, ...armor }), maxAliasesRule({ n: MAX_ALIASES, ...armor })],
    plugins: [costLimitPlugin()],
    formatError: formatGraphqlError,
    // On Fastify the driver calls this with the request itself; elsewhere with { req }.
    context: (arg: { req?: DatelineRequest } | DatelineRequest): GraphqlContext => {
      const req = ('req' in arg && arg.req ? arg.req : arg) as DatelineRequest;
      return { req, loaders: loaders.forRequest(req) };
    },
  };
}
