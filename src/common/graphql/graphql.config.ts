import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { AppConfig } from '../../config/config';
import type { DatelineRequest } from '../http/request-context';
import type { GraphqlRules } from './graphql-rules';
import { subscriptionsOverHttpRefused } from './http-subscriptions';
import type { GraphqlLoaders, RequestLoaders } from './loaders';

export interface GraphqlContext {
  req: DatelineRequest;
  /** This request's DataLoaders, by feature name. */
  loaders: RequestLoaders;
}

/**
 * Apollo Server on the same port, at /graphql, with the schema built from the code, following
 * GraphQL over HTTP: `application/graphql-response+json` for clients that accept it, GET for
 * queries only (a mutation over GET is 405), CSRF prevention, no batching, and the rules of
 * GraphqlRules (limits.ts) checked before any resolver runs. Subscriptions (graphql-ws on the
 * same path) are served by GraphqlWsServer with the same rules.
 */
export function graphqlOptions(
  config: AppConfig,
  loaders: GraphqlLoaders,
  rules: GraphqlRules,
): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Refused, when GRAPHQL_INTROSPECTION is off, by a rule of GraphqlRules.validationRules, so
    // that the WebSocket side refuses it too; "Did you mean" suggestions go in rules.formatError.
    introspection: true,
    playground: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries in Apollo's bounded in-memory LRU cache (about 30 MiB): a
    // client registering endless distinct documents evicts old ones instead of growing memory.
    cache: 'bounded',
    persistedQueries: {},
    validationRules: [...rules.validationRules],
    // A subscription over HTTP is refused first, so it spends none of the client's cost budget.
    // Features add their own plugins as @Plugin() providers (Nest finds them and appends them).
    plugins: [subscriptionsOverHttpRefused(), rules.plugin()],
    formatError: rules.formatError,
    // On Fastify the driver calls this with the request itself; elsewhere with { req }.
    context: (arg: { req?: DatelineRequest } | DatelineRequest): GraphqlContext => {
      const req = ('req' in arg && arg.req ? arg.req : arg) as DatelineRequest;
      return { req, loaders: loaders.forRequest(req) };
    },
  };
}
