import { money, toGlobalId } from '@commerce/graphql-kit';
import type { CartLineResolvers } from '../__generated__/resolvers-types.js';
import { lineOptions } from './line-options.js';

export const CartLine: CartLineResolvers = {
  id: (line) => toGlobalId('CartLine', line.id),
  selectedOptions: (line) => lineOptions(line.selectedOptions),
  unitPrice: (line) => money(line.currentUnitPrice, line.currencyCode),
  totalPrice: (line) => money(line.lineSubtotal, line.currencyCode),
  discount: (line) => money(line.discount, line.currencyCode),
  product: (line) => ({ id: toGlobalId('Product', line.productId) }),
  variant: (line) => ({ id: toGlobalId('ProductVariant', line.variantId) }),
};
