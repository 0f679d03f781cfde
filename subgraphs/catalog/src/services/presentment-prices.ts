// Variant prices in the currency a request asks for (X-Currency): the seller's fixed price for
// that currency where one is set, else the store price converted and rounded by the store's rule
// (@commerce/currency). Requests in the store's currency take none of this path.
import { convertPrice, requestCurrency, requestsPresentmentCurrency } from '@commerce/currency';
import type { Decimal, Eventually } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import type { ProductVariantParent } from '../mappers.js';

/** A variant's price and former price in one currency. */
export interface VariantPrices {
  price: Decimal;
  compareAtPrice: Decimal | null;
  currencyCode: string;
}

/**
 * The variant's prices in the request's currency: at once in the store's currency. Costs, per
 * request, one read of the currency and one per batch of variants for their fixed prices; none in
 * the store's currency.
 */
export function variantPricesInRequestCurrency(
  context: SubgraphContext,
  variant: ProductVariantParent,
): Eventually<VariantPrices> {
  if (!requestsPresentmentCurrency(context))
    return { price: variant.price, compareAtPrice: variant.compareAtPrice, currencyCode: variant.currencyCode };
  return presentmentPrices(context, variant);
}

async function presentmentPrices(context: SubgraphContext, variant: ProductVariantParent): Promise<VariantPrices> {
  const currency = await requestCurrency(context);
  const fixed = await context.loaders.fixedPriceByVariant.load(variant.id);
  if (fixed) return { price: fixed.price, compareAtPrice: fixed.compareAtPrice, currencyCode: currency.currencyCode };
  return {
    price: convertPrice(variant.price, currency),
    compareAtPrice: variant.compareAtPrice === null ? null : convertPrice(variant.compareAtPrice, currency),
    currencyCode: currency.currencyCode,
  };
}

/** A store-currency amount with no fixed counterpart (a product's stored price range) in the request's currency. */
export async function amountInRequestCurrency(
  context: SubgraphContext,
  amount: Decimal,
): Promise<{ amount: Decimal; currencyCode: string }> {
  const currency = await requestCurrency(context);
  return {
    amount: requestsPresentmentCurrency(context) ? convertPrice(amount, currency) : amount,
    currencyCode: currency.currencyCode,
  };
}
