import { Decimal } from '@commerce/graphql-kit';
import { type CurrencyRounding, roundPrice, roundToMinorUnits } from './rounding.js';

/** An exact amount: a Decimal or its string. */
export type Amount = Decimal | string;

/**
 * A currency a store presents prices in besides its own: one unit of the store's currency is
 * worth `rate` units of it (exact), and converted prices are rounded by `rounding`.
 */
export interface PresentmentCurrency {
  currencyCode: string;
  rate: Decimal;
  rounding: CurrencyRounding;
}

/** The store's own currency as a presentment currency: rate 1, amounts unchanged. */
export function storeCurrency(currencyCode: string): PresentmentCurrency {
  return { currencyCode, rate: new Decimal(1), rounding: 'MINOR_UNITS' };
}

/** Whether the currency is the store's own (amounts pass through unchanged). */
export function isStoreCurrency(currency: PresentmentCurrency, storeCurrencyCode: string): boolean {
  return currency.currencyCode === storeCurrencyCode;
}

/**
 * A store-currency price in the presentment currency: times the rate, rounded by the currency's
 * rule. Used for unit prices of variants and for shipping rates; a fixed price the seller set for
 * the currency is used as it is instead.
 */
export function convertPrice(amount: Amount, currency: PresentmentCurrency): Decimal {
  return roundPrice(new Decimal(amount).times(currency.rate), currency.currencyCode, currency.rounding);
}

/**
 * A store-currency amount that is not a price (a fixed discount, an order minimum) in the
 * presentment currency: times the rate, rounded half-up to its minor units, no ending.
 */
export function convertAmount(amount: Amount, currency: PresentmentCurrency): Decimal {
  return roundToMinorUnits(new Decimal(amount).times(currency.rate), currency.currencyCode);
}

/**
 * What a presentment amount is worth in the store's currency: divided by the rate, rounded
 * half-up to the store currency's minor units. An order converts each of its parts (line totals,
 * shipping, tax, discounts) with it and sums them, so its store total is the sum of its parts.
 */
export function toStoreAmount(amount: Amount, currency: PresentmentCurrency, storeCurrencyCode: string): Decimal {
  return roundToMinorUnits(new Decimal(amount).dividedBy(currency.rate), storeCurrencyCode);
}

/**
 * The store-currency part of a refund of an order paid in a presentment currency. The refunded
 * share of the store total is taken cumulatively (`refundedBefore` to `refundedBefore + amount` of
 * `presentmentTotal`) and rounded at both ends, so partial refunds never lose or invent a minor
 * unit: refunds of the whole order give back exactly `storeTotal`, and each part is >= 0.
 */
export function storeShareOfRefund(input: {
  amount: Amount;
  refundedBefore: Amount;
  presentmentTotal: Amount;
  storeTotal: Amount;
  storeCurrencyCode: string;
}): Decimal {
  const total = new Decimal(input.presentmentTotal);
  const storeTotal = new Decimal(input.storeTotal);
  if (total.isZero()) return new Decimal(0);
  const before = new Decimal(input.refundedBefore);
  const after = Decimal.min(total, before.plus(input.amount));
  const share = (presentment: Decimal) =>
    roundToMinorUnits(storeTotal.times(presentment).dividedBy(total), input.storeCurrencyCode);
  return share(after).minus(share(before));
}
