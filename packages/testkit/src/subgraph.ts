import { HeaderMap } from '@apollo/server';
import type { Database } from '@commerce/database';
import {
  createSubgraphServer,
  resolveRequestContext,
  type RequestContext,
  type SubgraphDefinition,
} from '@commerce/graphql-kit';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestOptions } from './client.js';

/** Runs one operation against one subgraph in-process, with the same context resolution as over HTTP. */
export async function executeSubgraph<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  database: Database,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<{ data?: Record<string, any> | null; errors?: readonly GraphQLFormattedError[] }> {
  const server = createSubgraphServer(definition);
  const contextValue = definition.createContext(await requestContext(database, options));
  const response = await server.executeOperation({ query, variables }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('incremental delivery is not used here');
  return response.body.singleResult;
}

/**
 * The request context a subgraph resolves for a request with these credentials, for calling a
 * service directly (a rule that lives in one service is tested there, not through the graph).
 */
export function requestContext(database: Database, options: RequestOptions = {}): Promise<RequestContext> {
  const headers = new HeaderMap(Object.entries(options.headers ?? {}));
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (options.store) headers.set('x-store', options.store);
  return resolveRequestContext(database, headers);
}
