import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Plugin } from '@nestjs/apollo';
import { Kind, type DocumentNode } from 'graphql';
import { MetricsService } from './metrics.service';

/** Counts GraphQL operations by name and outcome (an Apollo Server plugin with Nest's DI). */
@Plugin()
export class GraphqlMetricsPlugin implements ApolloServerPlugin {
  constructor(private readonly metrics: MetricsService) {}

  requestDidStart(): Promise<GraphQLRequestListener<Record<string, unknown>>> {
    const metrics = this.metrics;
    return Promise.resolve({
      willSendResponse(ctx) {
        const body = ctx.response.body;
        const errors = body.kind === 'single' ? body.singleResult.errors : ctx.errors;
        const name = ctx.operationName ?? ctx.request.operationName ?? firstOperationName(ctx.document);
        metrics.recordGraphqlOperation(name, ctx.operation?.operation, !errors?.length);
        return Promise.resolve();
      },
    });
  }
}

/** The name of a document's first operation: for operations that failed validation. */
function firstOperationName(document: DocumentNode | undefined): string | undefined {
  for (const def of document?.definitions ?? []) {
    if (def.kind === Kind.OPERATION_DEFINITION) return def.name?.value;
  }
  return undefined;
}
