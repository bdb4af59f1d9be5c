import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { AppConfig } from '../../config/config';
import type { DatelineRequest } from '../http/request-context';
import { formatGraphqlError } from './format-error';
import type { GraphqlLoaders, RequestLoaders } from './loaders';

export interface GraphqlContext {
  req: DatelineRequest;
  /** This request's DataLoaders, by feature name. */
  loaders: RequestLoaders;
}

/** Apollo Server on the same port, at /graphql, with the schema built from the code. */
export function graphqlOptions(config: AppConfig, loaders: GraphqlLoaders): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: config.graphqlIntrospection,
    playground: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    formatError: formatGraphqlError,
    // On Fastify the driver calls this with the request itself; elsewhere with { req }.
    context: (arg: { req?: DatelineRequest } | DatelineRequest): GraphqlContext => {
      const req = ('req' in arg && arg.req ? arg.req : arg) as DatelineRequest;
      return { req, loaders: loaders.forRequest(req) };
    },
  };
}
