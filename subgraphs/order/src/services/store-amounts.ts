// An order placed in a presentment currency, in the store's currency: each line's amounts divided
// by the rate and rounded to the store's minor units (@commerce/currency's toStoreAmount), shipping
// and the loyalty discount likewise, and the order's amounts as the sums of those parts, so that
// the store total is exactly its parts, as the presentment total is.
import { type PresentmentCurrency, roundToMinorUnits, storeShareOfRefund, toStoreAmount } from '@commerce/currency';
import { type Order, Prisma } from '@commerce/database';
import { money } from '@commerce/graphql-kit';
import type { PricedCart } from './pricing.js';

type Decimal = Prisma.Decimal;

/** A line's amounts in the store's currency. */
export interface StoreLineAmounts {
  totalPrice: Decimal;
  discountTotal: Decimal;
  taxTotal: Decimal;
}

/** An order's amounts in the store's currency. */
export interface StoreAmounts {
  currencyCode: string;
  rate: Decimal;
  lines: StoreLineAmounts[];
  subtotal: Decimal;
  discounts: Decimal;
  shipping: Decimal;
  tax: Decimal;
  loyaltyDiscount: Decimal;
  total: Decimal;
}

const sum = (amounts: readonly Decimal[]) =>
  amounts.reduce((total, amount) => total.plus(amount), new Prisma.Decimal(0));

/** The store-currency amounts of a priced cart in `currency`. */
export function storeAmountsOf(
  priced: PricedCart,
  currency: PresentmentCurrency,
  storeCurrencyCode: string,
): StoreAmounts {
  const inStore = (amount: Decimal) => toStoreAmount(amount, currency, storeCurrencyCode);
  const lines = priced.lines.map((line) => ({
    totalPrice: inStore(line.subtotal),
    discountTotal: inStore(line.discount),
    taxTotal: inStore(line.tax),
  }));
  const subtotal = sum(lines.map((line) => line.totalPrice));
  const discounts = sum(lines.map((line) => line.discountTotal));
  const tax = sum(lines.map((line) => line.taxTotal));
  const shipping = inStore(priced.shipping);
  const beforeLoyalty = subtotal
    .minus(discounts)
    .plus(shipping)
    .plus(priced.taxesIncluded ? 0 : tax);
  // Points that pay the whole order pay all of it in either currency.
  const loyaltyDiscount = priced.total.isZero()
    ? beforeLoyalty
    : Prisma.Decimal.min(beforeLoyalty, inStore(priced.loyaltyDiscount));
  return {
    currencyCode: storeCurrencyCode,
    rate: currency.rate,
    lines,
    subtotal,
    discounts,
    shipping,
    tax,
    loyaltyDiscount,
    total: beforeLoyalty.minus(loyaltyDiscount),
  };
}

/** The order's amounts in the store's currency, as Order.storeAmounts shows them (its own amounts when in the store's currency). */
export function orderStoreAmounts(order: Order) {
  const currencyCode = order.storeCurrencyCode ?? order.currencyCode;
  const inStore = (amount: Decimal | null, own: Decimal) => money(amount ?? own, currencyCode);
  return {
    subtotal: inStore(order.storeSubtotal, order.subtotal),
    discountTotal: inStore(order.storeDiscountTotal, order.discountTotal),
    shippingTotal: inStore(order.storeShippingTotal, order.shippingTotal),
    taxTotal: inStore(order.storeTaxTotal, order.taxTotal),
    loyaltyDiscount: inStore(order.storeLoyaltyDiscount, order.loyaltyDiscount),
    total: inStore(order.storeTotal, order.total),
    totalRefunded: inStore(order.storeTotalRefunded, order.totalRefunded),
  };
}

/**
 * What a refund of `amount` (in the order's currency) gives back in the store's currency: its
 * cumulative share of the store total (storeShareOfRefund), so that refunds of the whole order give
 * back exactly the store total; null for an order in the store's currency.
 */
export function refundStoreAmount(order: Order, amount: Decimal): Decimal | null {
  if (order.storeTotal === null || order.storeCurrencyCode === null) return null;
  return storeShareOfRefund({
    amount,
    refundedBefore: order.totalRefunded,
    presentmentTotal: order.total,
    storeTotal: order.storeTotal,
    storeCurrencyCode: order.storeCurrencyCode,
  });
}

/** A part of a refund in the store's currency, in proportion to the refund's store amount (read models' per-line figures). */
export function storeLineShare(part: Decimal, amount: Decimal, storeAmount: Decimal, order: Order): Decimal {
  return roundToMinorUnits(part.times(storeAmount).dividedBy(amount), order.storeCurrencyCode ?? order.currencyCode);
}
