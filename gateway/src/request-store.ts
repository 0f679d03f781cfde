import type { PrismaClient } from '@commerce/database';
import { storeFrom, type HeaderSource, type ResolvedStore } from '@commerce/graphql-kit';

const resolved = new WeakMap<HeaderSource, Promise<ResolvedStore | null>>();

/**
 * The store a request's headers name, resolved as for an anonymous caller (X-Store or the host's
 * custom domain), once per request: the storefront cache and the rate limit's caller both need it.
 * The promise rejects as storeFrom does (a GraphQLError for a store that does not resolve).
 */
export function storeNamedBy(prisma: PrismaClient, headers: HeaderSource): Promise<ResolvedStore | null> {
  let store = resolved.get(headers);
  if (!store) {
    store = storeFrom(prisma, headers, { kind: 'anonymous' });
    // Each reader handles the rejection; this copy only keeps it from being reported as unhandled.
    store.catch(() => undefined);
    resolved.set(headers, store);
  }
  return store;
}
