import type { Viewer } from '@commerce/graphql-kit';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { callerOfViewer } from './caller.js';
import type { QueryCostConfig } from './cost-config.js';
import type { CostModel } from './cost-model.js';
import { fragmentsOf } from './cost-plugin.js';
import { requestedCost } from './cost.js';
import type { RateLimiter } from './rate-limit.js';
import { maxCostExceeded, throttled } from './refusals.js';

/** A subscribe message as the admission reads it, with who sent it. */
export interface SocketOperation {
  viewer: Viewer;
  /** The socket's store, or null. */
  storeId: string | null;
  /** The client's address (proxy-aware). */
  clientAddress: string;
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
}

/** Admits a subscription, or answers the error to send on it instead. */
export type SocketAdmission = (operation: SocketOperation) => Promise<GraphQLError | null>;

/**
 * The cost and rate limits of the HTTP path for subscribe messages: subscribing drains the cost of
 * the subscription's document from the caller's bucket once; over the maximum it is refused with
 * MAX_COST_EXCEEDED, from an empty bucket with THROTTLED (an error message on that subscription).
 */
export function socketCostAdmission(options: {
  config: QueryCostConfig;
  model: CostModel;
  limiter: RateLimiter;
}): SocketAdmission {
  const { config, model, limiter } = options;
  return async ({ viewer, storeId, clientAddress, schema, document, operation, variables }) => {
    const cost = requestedCost({ schema, model, operation, fragments: fragmentsOf(document), variables });
    if (cost > config.maxCost) return maxCostExceeded(cost, config.maxCost, 'socket');
    const caller = callerOfViewer(viewer, storeId, clientAddress);
    const bucket = await limiter.take(caller.key, config.buckets[caller.kind], cost);
    return bucket.allowed ? null : throttled(cost, bucket, 'socket');
  };
}
