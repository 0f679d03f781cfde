// Fixed prices of variants in presentment currencies: where the seller sets one, buyers asking for
// that currency see and pay it instead of the converted price (presentment-prices.ts, and the
// order subgraph's cart quotes, which read ProductVariantPrice in their pricing statement).
import type { ProductVariantPrice } from '@commerce/database';
import {
  InputErrors,
  inCurrency,
  isCurrencyCode,
  keyOrNull,
  requirePermission,
  requireStore,
  type UserError,
} from '@commerce/graphql-kit';
import type { ProductErrorCode, ProductVariantPricesSetInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ProductVariantParent } from '../mappers.js';
import { announceProduct } from './catalog-events.js';
import { readAmount } from './product-input.js';

export interface VariantPricesResult {
  productVariant: ProductVariantParent | null;
  userErrors: UserError<ProductErrorCode>[];
}

/** A variant's fixed prices, by currency code. */
export function fixedPricesOf(context: SubgraphContext, variantId: string): Promise<ProductVariantPrice[]> {
  return context.loaders.fixedPricesByVariant.load(variantId);
}

/** Sets or removes fixed prices of a variant (MANAGE_PRODUCTS); storefronts hear of it as a product change. */
export async function setVariantPrices(
  context: SubgraphContext,
  input: ProductVariantPricesSetInput,
): Promise<VariantPricesResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const store = requireStore(context);
  const errors = new InputErrors<ProductErrorCode>();
  const seen = new Set<string>();
  const entries = input.prices.map((entry, index) => {
    const field = (name: string) => ['input', 'prices', String(index), name];
    const currencyCode = entry.currencyCode.trim().toUpperCase();
    if (!isCurrencyCode(currencyCode))
      errors.add(field('currencyCode'), 'Give an ISO 4217 currency code, e.g. USD.', 'INVALID');
    else if (currencyCode === store.currencyCode)
      errors.add(
        field('currencyCode'),
        `${currencyCode} is the store's currency: change the variant's price instead.`,
        'INVALID',
      );
    else if (seen.has(currencyCode))
      errors.add(field('currencyCode'), `${currencyCode} is listed twice; list each currency once.`, 'DUPLICATE');
    seen.add(currencyCode);
    const valid = isCurrencyCode(currencyCode);
    const price = entry.price == null || !valid ? null : readAmount(errors, field('price'), entry.price, currencyCode);
    const compareAtPrice =
      entry.compareAtPrice == null || !valid
        ? null
        : readAmount(errors, field('compareAtPrice'), entry.compareAtPrice, currencyCode);
    return { currencyCode, price, compareAtPrice };
  });
  const variantId = keyOrNull(input.variantId, 'ProductVariant');
  if (!errors.ok) return { productVariant: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<VariantPricesResult> => {
    const variant = variantId
      ? await tx.productVariant.findUnique({ where: { storeId_id: { storeId, id: variantId } } })
      : null;
    if (!variant)
      return {
        productVariant: null,
        userErrors: [{ field: ['input', 'variantId'], message: 'The store has no such variant.', code: 'NOT_FOUND' }],
      };
    for (const entry of entries) {
      const where = {
        storeId_variantId_currencyCode: { storeId, variantId: variant.id, currencyCode: entry.currencyCode },
      };
      if (entry.price === null)
        await tx.productVariantPrice.deleteMany({
          where: { storeId, variantId: variant.id, currencyCode: entry.currencyCode },
        });
      else
        await tx.productVariantPrice.upsert({
          where,
          create: { storeId, variantId: variant.id, ...entry, price: entry.price },
          update: { price: entry.price, compareAtPrice: entry.compareAtPrice },
        });
    }
    await announceProduct(tx, storeId, 'product.updated', variant.productId);
    return { productVariant: inCurrency(variant, store.currencyCode), userErrors: [] };
  });
}
