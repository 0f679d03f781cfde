import { andThen, money, toGlobalId } from '@commerce/graphql-kit';
import { ownerMetafield, ownerMetafields } from '@commerce/metafields';
import type { ProductVariantResolvers } from '../__generated__/resolvers-types.js';
import { variantPricesInRequestCurrency } from '../services/presentment-prices.js';
import { fixedPricesOf } from '../services/variant-prices.service.js';
import { inventoryLevelsOf, isLowStock, listStockMovements, variantInventory } from '../services/inventory.service.js';
import { selectedOptions } from '../services/product-options.js';
import { findVariant, productOfVariant } from '../services/product-read.service.js';
import { variantTitle } from '../services/translated-fields.js';
import { translationsOf } from '../services/translation.service.js';

export const ProductVariant: ProductVariantResolvers = {
  __resolveReference: (reference, context) => findVariant(context, reference.id),
  id: (variant) => toGlobalId('ProductVariant', variant.id),
  title: (variant, _args, context) => variantTitle(context, variant),
  translations: (variant, { locale }, context) => translationsOf(context, variant.id, locale),
  price: (variant, _args, context) =>
    andThen(variantPricesInRequestCurrency(context, variant), (prices) => money(prices.price, prices.currencyCode)),
  compareAtPrice: (variant, _args, context) =>
    andThen(variantPricesInRequestCurrency(context, variant), (prices) =>
      prices.compareAtPrice === null ? null : money(prices.compareAtPrice, prices.currencyCode),
    ),
  fixedPrices: async (variant, _args, context) =>
    (await fixedPricesOf(context, variant.id)).map((row) => ({
      currencyCode: row.currencyCode,
      price: money(row.price, row.currencyCode),
      compareAtPrice: row.compareAtPrice === null ? null : money(row.compareAtPrice, row.currencyCode),
    })),
  selectedOptions: (variant) => selectedOptions(variant),
  product: (variant, _args, context) => productOfVariant(context, variant),
  inventory: (variant, _args, context) => variantInventory(context, variant),
  lowStock: (variant, _args, context) => isLowStock(context, variant),
  inventoryLevels: (variant, _args, context) => inventoryLevelsOf(context, variant),
  stockMovements: (variant, args, context) => listStockMovements(context, variant, args),
  metafield: (variant, { namespace, key }, context) =>
    ownerMetafield(context.loaders.variantMetafields, variant.id, namespace, key),
  metafields: (variant, args, context) => ownerMetafields(context.loaders.variantMetafields, variant.id, args),
};
