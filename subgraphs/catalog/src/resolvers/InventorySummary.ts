import { money, storeReferenceKey } from '@commerce/graphql-kit';
import type { InventorySummaryResolvers } from '../__generated__/resolvers-types.js';
import { listLowStockVariants } from '../services/inventory.service.js';

export const InventorySummary: InventorySummaryResolvers = {
  __resolveReference: (reference, context) => ({ storeId: storeReferenceKey(context, reference.storeId) }),
  storeId: (summary) => summary.storeId,
  lowStock: async (summary, _args, context) => (await context.loaders.inventoryFigures.load(summary.storeId)).lowStock,
  outOfStock: async (summary, _args, context) =>
    (await context.loaders.inventoryFigures.load(summary.storeId)).outOfStock,
  stockValue: async (summary, _args, context) => {
    const figures = await context.loaders.inventoryFigures.load(summary.storeId);
    return money(figures.stockValue, figures.currencyCode);
  },
  variants: (summary, args, context) => listLowStockVariants(context, summary.storeId, args),
};
