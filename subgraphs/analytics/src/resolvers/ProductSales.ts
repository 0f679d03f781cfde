import { money, toGlobalId } from '@commerce/graphql-kit';
import type { ProductSalesResolvers } from '../__generated__/resolvers-types.js';

export const ProductSales: ProductSalesResolvers = {
  // A reference the catalog resolves.
  product: (sales) => ({ id: toGlobalId('Product', sales.productId) }),
  netSales: (sales) => money(sales.netSales, sales.currencyCode),
};
