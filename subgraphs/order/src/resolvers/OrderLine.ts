import { money, toGlobalId } from '@commerce/graphql-kit';
import type { OrderLineResolvers } from '../__generated__/resolvers-types.js';
import { lineOptions } from './line-options.js';

export const OrderLine: OrderLineResolvers = {
  id: (line) => toGlobalId('OrderLine', line.id),
  selectedOptions: (line) => lineOptions(line.selectedOptions),
  unitPrice: (line) => money(line.unitPrice, line.currencyCode),
  totalPrice: (line) => money(line.totalPrice, line.currencyCode),
  discountTotal: (line) => money(line.discountTotal, line.currencyCode),
  taxTotal: (line) => money(line.taxTotal, line.currencyCode),
  product: (line) => (line.productId ? { id: toGlobalId('Product', line.productId) } : null),
  variant: (line) => (line.variantId ? { id: toGlobalId('ProductVariant', line.variantId) } : null),
};
