// Exact amounts from user input: money in the store's currency and tax rates as fractions.
import { Decimal, minorUnits, type InputErrors } from '@commerce/graphql-kit';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

// NUMERIC(19, 4) holds 15 digits before the point.
const AMOUNT = /^\d{1,15}(?:\.\d+)?$/;
const RATE = /^\d(?:\.\d+)?$/;

/**
 * A non-negative amount in the store's currency, with at most the currency's minor-unit digits
 * (2 for EUR, 0 for JPY); null with a userError otherwise.
 */
export function readAmount(
  errors: InputErrors<StoreErrorCode>,
  field: string[],
  text: string,
  currencyCode: string,
): Decimal | null {
  const trimmed = text.trim();
  if (!AMOUNT.test(trimmed)) {
    errors.add(field, 'Give an amount of 0 or more as a decimal string, e.g. "4.90".', 'INVALID');
    return null;
  }
  const amount = new Decimal(trimmed);
  const digits = minorUnits(currencyCode);
  if (amount.decimalPlaces() > digits) {
    errors.add(field, `${currencyCode} amounts have at most ${digits} decimal places.`, 'INVALID');
    return null;
  }
  return amount;
}

/** A rate as a decimal fraction from 0 to 1 with at most 6 decimals; null with a userError otherwise. */
export function readRate(errors: InputErrors<StoreErrorCode>, field: string[], text: string): Decimal | null {
  const trimmed = text.trim();
  const rate = RATE.test(trimmed) ? new Decimal(trimmed) : null;
  if (!rate || rate.greaterThan(1) || rate.decimalPlaces() > 6) {
    errors.add(
      field,
      'Give the rate as a fraction from 0 to 1 with at most 6 decimals, e.g. "0.19" for 19 %.',
      'INVALID',
    );
    return null;
  }
  return rate;
}

/** Adds a userError when both bounds are set and the lower one exceeds the upper one. */
export function checkBounds(
  errors: InputErrors<StoreErrorCode>,
  field: string[],
  min: Decimal | null,
  max: Decimal | null,
): void {
  if (min && max && min.greaterThan(max))
    errors.add(field, 'The maximum must not be less than the minimum.', 'INVALID');
}
