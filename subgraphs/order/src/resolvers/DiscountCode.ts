import { money, toGlobalId } from '@commerce/graphql-kit';
import type { DiscountCodeResolvers } from '../__generated__/resolvers-types.js';

export const DiscountCode: DiscountCodeResolvers = {
  id: (code) => toGlobalId('DiscountCode', code.id),
  minOrderAmount: (code) => (code.minOrderAmount ? money(code.minOrderAmount, code.currencyCode) : null),
};
