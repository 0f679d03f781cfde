import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { BucketState } from './rate-limit.js';

/** The code of an operation that costs more than the maximum. */
export const MAX_COST_EXCEEDED = 'MAX_COST_EXCEEDED';
/** The code of an operation refused because its caller's bucket lacks its cost. */
export const THROTTLED = 'THROTTLED';

/** Where a refusal is answered: over HTTP its status (and headers) go with it (Apollo Server's extensions.http). */
export type Transport = 'http' | 'socket';

/** MAX_COST_EXCEEDED, with the cost and the maximum; HTTP 400 like other documents refused before execution. */
export function maxCostExceeded(cost: number, maxCost: number, transport: Transport = 'http'): GraphQLError {
  return new GraphQLError(
    `This operation costs ${cost}, more than the ${maxCost} allowed: ask for fewer items (first/last) or fewer fields, or page through them.`,
    {
      extensions: { code: MAX_COST_EXCEEDED, cost, maxCost, ...(transport === 'http' && { http: { status: 400 } }) },
    },
  );
}

/** THROTTLED, answered with HTTP 429 and Retry-After (seconds until the bucket holds the cost). */
export function throttled(cost: number, bucket: BucketState, transport: Transport = 'http'): GraphQLError {
  return new GraphQLError(
    `This operation costs ${cost} and ${bucket.currentlyAvailable} of ${bucket.maximumAvailable} points are left (${bucket.restoreRate} restored per second): retry in ${bucket.retryAfterSeconds} s.`,
    {
      extensions: {
        code: THROTTLED,
        cost,
        retryAfterSeconds: bucket.retryAfterSeconds,
        ...(transport === 'http' && {
          http: { status: 429, headers: new HeaderMap([['retry-after', String(bucket.retryAfterSeconds)]]) },
        }),
      },
    },
  );
}

/** `extensions.cost` of an answer (Shopify's names). */
export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

/** The cost extension for an answer, from its costs and the caller's bucket after them. */
export function costExtension(
  requested: number,
  actual: number,
  bucket: Pick<BucketState, 'maximumAvailable' | 'currentlyAvailable' | 'restoreRate'>,
): CostExtension {
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: {
      maximumAvailable: bucket.maximumAvailable,
      currentlyAvailable: bucket.currentlyAvailable,
      restoreRate: bucket.restoreRate,
    },
  };
}
