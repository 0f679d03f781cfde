import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { SellerResolvers } from '../__generated__/resolvers-types.js';
import { visibleSeller } from '../services/store-access.js';

export const Seller: SellerResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'Seller');
    return key ? visibleSeller(context, key) : null;
  },
  id: (seller) => toGlobalId('Seller', seller.id),
  stores: (seller, _args, context) => context.loaders.storesBySeller.load(seller.id),
};
