import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { DomainError, ERROR_CATALOG } from '../errors/domain-error';
import { logUnexpected } from '../errors/problem.filter';
import { toDomainError } from '../errors/to-domain-error';

const logger = new Logger('GraphQL');

/** Apollo's own codes that we keep as they are (parse and validation failures, persisted queries). */
const APOLLO_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

export interface GraphqlErrorFormatOptions {
  /** Production: "Did you mean …?" suggestions leak the schema as much as introspection does. */
  hideSchemaDetails?: boolean;
}

/** graphql-js's suggestions end a message ("Cannot query field … Did you mean "sections"?"). */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Apollo refuses some requests before any operation exists with a GraphQLError that has an HTTP
 * 4xx status but no code: a persisted query whose hash does not match its text, an unsupported
 * persisted-query version. They are the client's mistakes, not ours.
 */
function isCodelessClientError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError) || error.originalError || error.extensions.code !== undefined)
    return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Gives every GraphQL error an `extensions.code` from the same table REST uses, and strips
 * everything internal (stack traces, SQL, driver messages) outside development. Both transports
 * format with it: Apollo (HTTP) and graphql-ws (WebSocket).
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: GraphqlErrorFormatOptions = {},
): GraphQLFormattedError {
  const shown = options.hideSchemaDetails ? withoutSuggestions(formatted) : formatted;
  const unwrapped = unwrapResolverError(error);
  // A refusal before execution (a plugin's, such as the rate limits, or the graphql-ws server's)
  // carries its DomainError.
  const original =
    unwrapped instanceof GraphQLError && unwrapped.originalError instanceof DomainError
      ? unwrapped.originalError
      : unwrapped;
  const apolloCode = formatted.extensions?.code;
  if (!(original instanceof DomainError) && typeof apolloCode === 'string' && APOLLO_CODES.has(apolloCode)) {
    return {
      message: shown.message,
      locations: shown.locations,
      path: shown.path,
      extensions: { code: apolloCode },
    };
  }
  if (isCodelessClientError(original)) {
    // Logged by nobody: nothing is wrong on our side.
    return { message: shown.message, locations: shown.locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  const domain = toDomainError(original);
  logUnexpected(logger, original, domain.code);
  const extensions: Record<string, unknown> = {
    code: ERROR_CATALOG[domain.code].graphql,
    reason: domain.code,
  };
  if (domain.errors?.length) extensions.errors = domain.errors;
  // The problem document's extra members (retryAfter, currentVersion, lockedBy…), as REST has them.
  for (const [k, v] of Object.entries(domain.extra ?? {})) if (k !== 'rateLimit') extensions[k] = v;
  return { message: domain.message, locations: formatted.locations, path: formatted.path, extensions };
}

function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(formatted.message)
    ? { ...formatted, message: formatted.message.replace(SUGGESTION, '') }
    : formatted;
}
