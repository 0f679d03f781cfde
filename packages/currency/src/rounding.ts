import { Decimal, minorUnits } from '@commerce/graphql-kit';

/** How a converted price is rounded in a presentment currency. */
export type CurrencyRounding = 'MINOR_UNITS' | 'WHOLE_UNITS' | 'ENDING_99' | 'ENDING_95';

export const CURRENCY_ROUNDINGS: readonly CurrencyRounding[] = ['MINOR_UNITS', 'WHOLE_UNITS', 'ENDING_99', 'ENDING_95'];

/** Whether a rounding rule fits a currency: .99 and .95 endings need two minor units at least. */
export function roundingFits(rounding: CurrencyRounding, currencyCode: string): boolean {
  return (rounding !== 'ENDING_99' && rounding !== 'ENDING_95') || minorUnits(currencyCode) >= 2;
}

/** An amount rounded half-up to the currency's minor units (cents for EUR, yen for JPY). */
export function roundToMinorUnits(amount: Decimal, currencyCode: string): Decimal {
  return amount.toDecimalPlaces(minorUnits(currencyCode), Decimal.ROUND_HALF_UP);
}

/**
 * A converted price rounded by the store's rule for the currency. Prices only move up to an
 * ending (12.34 becomes 12.99 with ENDING_99, 13 with WHOLE_UNITS), never down to one, and zero
 * stays zero; every result is a whole number of the currency's minor units.
 */
export function roundPrice(amount: Decimal, currencyCode: string, rounding: CurrencyRounding): Decimal {
  const exact = roundToMinorUnits(amount, currencyCode);
  if (rounding === 'MINOR_UNITS' || exact.isZero()) return exact;
  const whole = exact.toDecimalPlaces(0, Decimal.ROUND_CEIL);
  if (rounding === 'WHOLE_UNITS' || !roundingFits(rounding, currencyCode)) return whole;
  const ending = new Decimal(rounding === 'ENDING_99' ? '0.01' : '0.05');
  // The smallest amount with the ending that is not below the exact one.
  const floor = exact.toDecimalPlaces(0, Decimal.ROUND_FLOOR);
  const candidate = floor.plus(1).minus(ending);
  return candidate.greaterThanOrEqualTo(exact) ? candidate : candidate.plus(1);
}
