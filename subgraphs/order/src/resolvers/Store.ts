import { storeReferenceKey, toGlobalId } from '@commerce/graphql-kit';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';
import { listDiscountCodes } from '../services/discount-code.service.js';
import { listDraftOrders } from '../services/draft-order.service.js';
import { listStoreOrders } from '../services/order.service.js';
import { listStoreReturns } from '../services/return.service.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => ({ id: storeReferenceKey(context, reference.id) }),
  id: (store) => toGlobalId('Store', store.id),
  orders: (store, args, context) => listStoreOrders(context, store.id, args),
  discountCodes: (store, args, context) => listDiscountCodes(context, store.id, args),
  returns: (store, args, context) => listStoreReturns(context, store.id, args),
  draftOrders: (store, args, context) => listDraftOrders(context, store.id, args),
};
