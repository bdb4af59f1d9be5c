import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { AppConfig } from '../../config/config';
import { formatGraphqlError } from './format-error';

export interface GraphqlContext {
  req: import('../http/request-context').DatelineRequest;
}

/** Apollo Server on the same port, at /graphql, with the schema built from the code. */
export function graphqlOptions(config: AppConfig): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: config.graphqlIntrospection,
    playground: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    formatError: formatGraphqlError,
    context: ({ req }: { req: GraphqlContext['req'] }): GraphqlContext => ({ req }),
  };
}
