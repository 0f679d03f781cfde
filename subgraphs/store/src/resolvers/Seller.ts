import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { SellerResolvers } from '../__generated__/resolvers-types.js';

export const Seller: SellerResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'Seller');
    if (!key || context.viewer.kind !== 'seller' || context.viewer.sellerId !== key) return null;
    return context.loaders.sellerById.load(key);
  },
  id: (seller) => toGlobalId('Seller', seller.id),
  stores: (seller, _args, context) => context.loaders.storesBySeller.load(seller.id),
};
