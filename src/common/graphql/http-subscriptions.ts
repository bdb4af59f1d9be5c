import type { ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLError, OperationTypeNode } from 'graphql';

/**
 * Subscriptions are served over WebSocket (graphql-ws) only. Sent over HTTP, Apollo executed one
 * like a query: the subscription's resolver ran without an event and failed, and the client got
 * INTERNAL_SERVER_ERROR. Refused instead, before any resolver runs, as bad input.
 */
export function subscriptionsOverHttpRefused(): NonNullable<ApolloDriverConfig['plugins']>[number] {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation }) => {
          if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return Promise.resolve();
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-ws) on /graphql, not over HTTP.',
            { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
          );
        },
      }),
  };
}
