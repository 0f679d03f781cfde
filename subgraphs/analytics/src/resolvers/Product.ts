import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { productSales } from '../services/analytics.service.js';

export const Product: ProductResolvers = {
  // The catalog has resolved the product in the request's store; its sales are read here.
  __resolveReference: (reference) => ({ id: reference.id }),
  sales: (product, { range }, context) => productSales(context, product.id, range),
};
