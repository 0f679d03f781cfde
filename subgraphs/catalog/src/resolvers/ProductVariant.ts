import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductVariantResolvers } from '../__generated__/resolvers-types.js';
import { inventoryLevelsOf, isLowStock, listStockMovements, variantInventory } from '../services/inventory.service.js';
import { storeMoney } from '../services/price.js';
import { selectedOptions } from '../services/product-options.js';
import { findVariant, productOfVariant } from '../services/product-read.service.js';

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: (reference, context) => findVariant(context, reference.id),
  id: (variant) => toGlobalId('ProductVariant', variant.id),
  price: (variant, _args, context) => storeMoney(context, variant.price),
  compareAtPrice: (variant, _args, context) => (variant.compareAtPrice === null ? null : storeMoney(context, variant.compareAtPrice)),
  selectedOptions: (variant) => selectedOptions(variant),
  product: (variant, _args, context) => productOfVariant(context, variant),
  inventory: (variant, _args, context) => variantInventory(context, variant),
  lowStock: (variant, _args, context) => isLowStock(context, variant),
  inventoryLevels: (variant, _args, context) => inventoryLevelsOf(context, variant),
  stockMovements: (variant, args, context) => listStockMovements(context, variant, args),
};
