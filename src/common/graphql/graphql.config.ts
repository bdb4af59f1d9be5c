import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../../config/config';
import { clientAddress, proxyTrust, type ProxyTrust } from '../http/client-address';
import type { DatelineRequest } from '../http/request-context';
import type { RateLimitService } from '../rate-limit/rate-limit.service';
import { graphqlAnswerPlugin } from '../../articles/read-cache/graphql-answer-cache';
import { costLimitPlugin } from './cost-limit';
import { formatGraphqlError } from './format-error';
import { subscriptionsOverHttpRefused } from './http-subscriptions';
import type { GraphqlLoaders, RequestLoaders } from './loaders';
import { MAX_ALIASES, MAX_DEPTH } from './limits';
import type { WsConnections } from './ws-connections';

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

function formatWsError(err: GraphQLError): GraphQLFormattedError {
  // An error with no path is about the request, not a field: graphql-js refusing its variables
  // (a wrong type, a missing value). Over HTTP Apollo codes these BAD_USER_INPUT; over WebSocket
  // they came without a code and read as unexpected: INTERNAL_SERVER_ERROR, and a stack trace
  // logged at error level.
  if (err.path === undefined && err.extensions.code === undefined) {
    return formatGraphqlError({ ...err.toJSON(), extensions: { code: 'BAD_USER_INPUT' } }, err);
  }
  return formatGraphqlError(err.toJSON(), err);
}

/** What graphql-ws hands the context function: the upgrade request is in extra. */
interface WsContext {
  connectionParams?: unknown;
  extra: { request: IncomingMessage };
}

function isWsContext(arg: object): arg is WsContext {
  return 'extra' in arg && typeof arg.extra === 'object' && arg.extra !== null && 'request' in arg.extra;
}

/**
 * A WebSocket operation's stand-in for a request: its headers and address, and anonymous
 * (subscriptions are public; a key in the upgrade request is not looked at).
 */
function wsRequest(ctx: WsContext, trust: ProxyTrust | false): DatelineRequest {
  const request = ctx.extra.request;
  return {
    headers: { ...request.headers, authorization: undefined },
    // The same address request.ip gives over HTTP, so WebSocket operations share its budgets.
    ip: clientAddress(request, trust),
    principal: null,
  } as unknown as DatelineRequest;
}

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
export function graphqlOptions(
  config: AppConfig,
  loaders: GraphqlLoaders,
  sockets?: WsConnections,
  limits?: RateLimitService,
): ApolloDriverConfig {
  const hideSchema = !config.graphqlIntrospection;
  const trust = proxyTrust(config.trustProxy);
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
    // A subscription over HTTP is refused first, so it spends none of the client's cost budget.
    plugins: [subscriptionsOverHttpRefused(), costLimitPlugin(limits), graphqlAnswerPlugin()],
    formatError: formatGraphqlError,
    // Subscriptions (reactionsChanged) over graphql-ws on the same path; the driver attaches a
    // WebSocket server to the HTTP server's upgrade event.
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        onConnect: (ctx) => {
          sockets?.add((ctx.extra as { socket: Parameters<WsConnections['add']>[0] }).socket);
          return true;
        },
        // Errors over WebSocket get the same shape and codes as over HTTP.
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: result.errors.map(formatWsError) } : undefined,
      },
    },
    // On Fastify the driver calls this with the request itself; elsewhere with { req }; graphql-ws
    // calls it with its own context, whose extra.request is the upgrade request.
    context: (arg: { req?: DatelineRequest } | DatelineRequest | WsContext): GraphqlContext => {
      const req = isWsContext(arg)
        ? wsRequest(arg, trust)
        : (('req' in arg && arg.req ? arg.req : arg) as DatelineRequest);
      return { req, loaders: loaders.forRequest(req) };
    },
  };
}
