import type { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { markInternalContext } from '../persisted-queries/index.js';

export interface GatewayRequest {
  query: string;
  variables: Record<string, unknown>;
  /** The subscriber's Authorization, X-Store and host, as a client would send them. */
  headers: HeaderMap;
}

/** Runs an operation through the gateway, as its HTTP path would for the same headers. */
export type GatewayExecutor = (request: GatewayRequest) => Promise<FormattedExecutionResult>;

/**
 * Executes through the gateway's Apollo Server in-process (query planning, subgraph fetches with
 * the forwarded headers, error masking), without an HTTP round trip. Identical requests that are
 * in flight together share one execution: the subscribers of one event who select the same fields
 * with the same credentials cost one query.
 */
export function createGatewayExecutor(server: ApolloServer<{ headers: HeaderMap }>): GatewayExecutor {
  const inFlight = new Map<string, Promise<FormattedExecutionResult>>();
  const run = async ({ query, variables, headers }: GatewayRequest): Promise<FormattedExecutionResult> => {
    const response = await server.executeOperation(
      { query, variables },
      { contextValue: markInternalContext({ headers }) },
    );
    if (response.body.kind !== 'single')
      throw new Error('the gateway answered a subscription payload query incrementally');
    return response.body.singleResult;
  };
  return (request) => {
    const key = JSON.stringify([
      request.query,
      request.variables,
      request.headers.get('authorization') ?? null,
      request.headers.get('x-store') ?? null,
      request.headers.get('x-forwarded-host') ?? null,
    ]);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = run(request).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}

/** A formatted error from the gateway as an error of this execution (message and extensions kept). */
export function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, { extensions: error.extensions });
}
