import { storeReferenceKey, toGlobalId } from '@commerce/graphql-kit';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';
import { listCustomers } from '../services/customer-list.service.js';
import { loyaltyProgramOf } from '../services/loyalty.service.js';
import { followersCount } from '../services/store-follow.service.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => ({ id: storeReferenceKey(context, reference.id) }),
  id: (store) => toGlobalId('Store', store.id),
  customers: (store, args, context) => listCustomers(context, store.id, args),
  followersCount: (store, _args, context) => followersCount(context, store),
  loyaltyProgram: (store, _args, context) => loyaltyProgramOf(context, store.id),
};
