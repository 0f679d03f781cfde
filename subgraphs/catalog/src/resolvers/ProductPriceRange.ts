import { money } from '@commerce/graphql-kit';
import type { ProductPriceRangeResolvers } from '../__generated__/resolvers-types.js';

export const ProductPriceRange: ProductPriceRangeResolvers = {
  minVariantPrice: (range) => money(range.min, range.currencyCode),
  maxVariantPrice: (range) => money(range.max, range.currencyCode),
};
