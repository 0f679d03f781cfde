import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { TaxRateResolvers } from '../__generated__/resolvers-types.js';

export const TaxRate: TaxRateResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'TaxRate');
    return key ? context.loaders.taxRateById.load(key) : null;
  },
  id: (taxRate) => toGlobalId('TaxRate', taxRate.id),
};
