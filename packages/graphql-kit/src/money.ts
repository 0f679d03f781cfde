import { Prisma } from '@commerce/database';

export type Decimal = Prisma.Decimal;
export const Decimal = Prisma.Decimal;

const minorUnitsCache = new Map<string, number>();

/** Digits after the decimal point in a currency (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorUnits(currencyCode: string): number {
  let digits = minorUnitsCache.get(currencyCode);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    minorUnitsCache.set(currencyCode, digits);
  }
  return digits;
}

/** Whether a string is an ISO 4217 currency code this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf('currency').includes(code);
}

/** An exact amount in a currency, as the GraphQL `Money` type shows it. */
export interface Money {
  amount: string;
  currencyCode: string;
}

/** Money rounded half-up to the currency's minor units; never a float. */
export function money(amount: Prisma.Decimal | string | number, currencyCode: string): Money {
  const value = new Prisma.Decimal(amount);
  return {
    amount: value
      .toDecimalPlaces(minorUnits(currencyCode), Prisma.Decimal.ROUND_HALF_UP)
      .toFixed(minorUnits(currencyCode)),
    currencyCode,
  };
}

/**
 * A row with the currency its Money fields are in. Whatever produces a resolver parent (a
 * service or a loader) gives it the currency, and the Money fields read it with `money()`.
 */
export type InCurrency<Row> = Row & { currencyCode: string };

/** The row with the currency its Money fields are in. */
export function inCurrency<Row extends object>(row: Row, currencyCode: string): InCurrency<Row> {
  return { ...row, currencyCode };
}
