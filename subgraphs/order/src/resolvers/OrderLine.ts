import { money, toGlobalId } from '@commerce/graphql-kit';
import type { OrderLineResolvers } from '../__generated__/resolvers-types.js';

export const OrderLine: OrderLineResolvers = {
  id: (line) => toGlobalId('OrderLine', line.id),
  unitPrice: (line) => money(line.unitPrice, line.currencyCode),
  totalPrice: (line) => money(line.totalPrice, line.currencyCode),
  product: (line) => (line.productId ? { id: toGlobalId('Product', line.productId) } : null),
  variant: (line) => (line.variantId ? { id: toGlobalId('ProductVariant', line.variantId) } : null),
};
