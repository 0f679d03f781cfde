import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { isInternalContext, PERSISTED_QUERY_NOT_ALLOWED } from './persisted-queries/index.js';

/**
 * The HTTP status of each refusal the gateway makes before execution: the client's fault, so a
 * 4xx, never the 500 Apollo Server gives errors thrown in didResolveOperation. A refusal code added
 * elsewhere gets its status here, in one place, and a row in the status test.
 */
export const REFUSAL_STATUS: Readonly<Record<string, number>> = {
  [PERSISTED_QUERY_NOT_ALLOWED]: 400,
  MAX_DEPTH_EXCEEDED: 400,
  MAX_ALIASES_EXCEEDED: 400,
  MAX_TOKENS_EXCEEDED: 400,
  MAX_DIRECTIVES_EXCEEDED: 400,
  MAX_DOCUMENT_SIZE_EXCEEDED: 400,
  MAX_COST_EXCEEDED: 400,
  THROTTLED: 429,
};

/**
 * Gives an answer that did not execute and holds only refusals their status (REFUSAL_STATUS), when
 * whoever refused did not set one (a status of 500, or none). Also refuses a document without the
 * operation named, and subscriptions over HTTP, which the gateway's executor would fail with a 500.
 */
export function refusalStatusPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, contextValue }) {
          if (isInternalContext(contextValue)) return;
          if (!operation) {
            const message = request.operationName
              ? `The document has no operation named "${request.operationName}".`
              : 'The document has several operations: name the one to run (operationName).';
            throw new GraphQLError(message, {
              extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
            });
          }
          if (operation.operation === 'subscription') {
            throw new GraphQLError(
              'Subscriptions run over a WebSocket at this URL (the graphql-ws protocol), not over HTTP.',
              { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } },
            );
          }
        },
        async willSendResponse({ response }) {
          const { body, http } = response;
          if (
            body.kind !== 'single' ||
            'data' in body.singleResult ||
            (http.status !== undefined && http.status !== 500)
          )
            return;
          const statuses = (body.singleResult.errors ?? []).map(
            (error) => REFUSAL_STATUS[String(error.extensions?.code)],
          );
          const [status] = statuses;
          if (status !== undefined && statuses.every((each) => each === status)) http.status = status;
        },
      };
    },
  };
}
