import { toGlobalId } from '@commerce/graphql-kit';
import type { WishlistItemResolvers } from '../__generated__/resolvers-types.js';

// The product and variant are references the catalog resolves, with their current prices and stock.
export const WishlistItem: WishlistItemResolvers = {
  id: (item) => toGlobalId('WishlistItem', item.id),
  product: (item) => ({ id: toGlobalId('Product', item.productId) }),
  variant: (item) => (item.variantId ? { id: toGlobalId('ProductVariant', item.variantId) } : null),
  addedAt: (item) => item.createdAt,
};
