import { storeReferenceKey, toGlobalId } from '@commerce/graphql-kit';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';
import { storeAnalytics } from '../services/analytics.service.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => ({ id: storeReferenceKey(context, reference.id) }),
  id: (store) => toGlobalId('Store', store.id),
  analytics: (store, { range, interval, compare }, context) =>
    storeAnalytics(context, store.id, range, interval ?? 'DAY', compare ?? null),
};
