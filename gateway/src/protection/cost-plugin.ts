import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { PrismaClient } from '@commerce/database';
import type { HeaderSource } from '@commerce/graphql-kit';
import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { isInternalContext } from '../persisted-queries/index.js';
import { callerOf, type Caller } from './caller.js';
import type { BucketSize, QueryCostConfig } from './cost-config.js';
import type { CostModel } from './cost-model.js';
import { actualCost, requestedCost, type CostedOperation } from './cost.js';
import type { BucketState, RateLimiter } from './rate-limit.js';
import { costExtension, maxCostExceeded, throttled, type CostExtension } from './refusals.js';

/** What the plugin reads of the gateway's context: the request's headers and the client's address. */
export interface CostContext {
  headers: HeaderSource;
  /** The client's address (proxy-aware); absent for calls made in this process. */
  clientAddress?: string;
}

/** The fragments of a document by name. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

export interface CostPluginOptions {
  config: QueryCostConfig;
  model: CostModel;
  limiter: RateLimiter;
  prisma: PrismaClient;
}

/** What one request has been charged. */
interface Charge {
  operation: CostedOperation;
  requested: number;
  /** The bucket after the take (or the refusal); null when it was not asked (over the maximum). */
  bucket: BucketState | null;
}

/**
 * Settles a charge the bucket allowed once the answer's actual cost is known: as Shopify does, the
 * caller pays what the answer held, not what it might have held; the rest goes back. Returns the
 * answer's extensions.cost.
 */
function settle(
  limiter: RateLimiter,
  who: Caller,
  size: BucketSize,
  requested: number,
  bucket: BucketState,
  actual: number,
): CostExtension {
  const refund = Math.max(0, requested - actual);
  if (refund > 0) limiter.refund(who.key, size, refund);
  const currentlyAvailable = Math.min(size.maximumAvailable, Math.floor(bucket.currentlyAvailable + refund));
  return costExtension(requested, actual, {
    maximumAvailable: bucket.maximumAvailable,
    currentlyAvailable,
    restoreRate: bucket.restoreRate,
  });
}

/** A request whose answer is known without running it, and whether that answer still stands. */
export interface KnownAnswer {
  headers: HeaderSource;
  clientAddress: string;
  requested: number;
  actual: number;
  /** Asked once the cost is taken: when the answer no longer stands, the whole cost goes back. */
  stillStands(): boolean;
}

/**
 * Charges a request whose answer is known without running it (a cached answer replayed below
 * Apollo Server), as the plugin charges it: the requested cost taken from the caller's bucket, the
 * part the answer did not use given back. Returns its extensions.cost, or null when it must go the
 * whole way, uncharged: over the maximum, throttled (the plugin then refuses it with its status),
 * or the answer no longer standing once the cost was taken.
 */
export async function chargeKnownAnswer(
  options: Pick<CostPluginOptions, 'config' | 'limiter' | 'prisma'>,
  answer: KnownAnswer,
): Promise<CostExtension | null> {
  const { config, limiter, prisma } = options;
  const { requested, actual } = answer;
  if (requested > config.maxCost) return null;
  const who = await callerOf(prisma, answer.headers, answer.clientAddress);
  const size = config.buckets[who.kind];
  const bucket = await limiter.take(who.key, size, requested);
  if (!bucket.allowed) return null;
  if (!answer.stillStands()) {
    limiter.refund(who.key, size, requested);
    return null;
  }
  return settle(limiter, who, size, requested, bucket, actual);
}

/**
 * Query cost and rate limits over HTTP (DESIGN §9). Once the operation is known (didResolveOperation,
 * before execution) its requested cost is computed on the document; over the maximum it is refused
 * (MAX_COST_EXCEEDED); else the cost is taken from the caller's bucket, or the operation refused
 * (THROTTLED, HTTP 429 with Retry-After). Every answer carries extensions.cost; what the answer
 * did not use (actual below requested cost) goes back into the bucket.
 */
export function queryCostPlugin(options: CostPluginOptions): ApolloServerPlugin<CostContext> {
  const { config, model, limiter, prisma } = options;
  return {
    async requestDidStart({ contextValue }) {
      // The gateway's own operations (subscription payloads) were paid for when subscribing.
      if (isInternalContext(contextValue)) return {};
      let caller: Promise<Caller> | undefined;
      const callerOfRequest = () =>
        (caller ??= callerOf(prisma, contextValue.headers, contextValue.clientAddress ?? 'in-process'));
      let charge: Charge | undefined;
      return {
        async didResolveOperation(requestContext: GraphQLRequestContext<CostContext>) {
          const { document, operation, request, schema } = requestContext;
          if (!document || !operation) return;
          const costed: CostedOperation = {
            schema,
            model,
            operation,
            fragments: fragmentsOf(document),
            variables: request.variables ?? {},
          };
          const requested = requestedCost(costed);
          charge = { operation: costed, requested, bucket: null };
          if (requested > config.maxCost) throw maxCostExceeded(requested, config.maxCost);
          const who = await callerOfRequest();
          const bucket = await limiter.take(who.key, config.buckets[who.kind], requested);
          charge.bucket = bucket;
          if (!bucket.allowed) throw throttled(requested, bucket);
        },
        async willSendResponse(requestContext) {
          const { body } = requestContext.response;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          let extension: CostExtension;
          const who = await callerOfRequest();
          const size = config.buckets[who.kind];
          if (charge?.bucket?.allowed) {
            const actual = actualCost(charge.operation, result.data);
            extension = settle(limiter, who, size, charge.requested, charge.bucket, actual);
          } else if (charge?.bucket) {
            extension = costExtension(charge.requested, 0, charge.bucket);
          } else {
            // Refused or never run: nothing was taken; the bucket is read (a take of 0) for its status.
            extension = costExtension(charge?.requested ?? 0, 0, await limiter.take(who.key, size, 0));
          }
          result.extensions = result.extensions ? { ...result.extensions, cost: extension } : { cost: extension };
        },
      };
    },
  };
}
