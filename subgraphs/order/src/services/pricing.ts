// Exact cart and order pricing. Amounts are counted in the currency's minor units as bigints, so
// nothing is ever a float and every rounding is a deliberate step:
//
//   1. line subtotal  = unit price × quantity, rounded half up to minor units;
//   2. line discount  = PERCENTAGE: line subtotal × percent / 100, rounded half up per line;
//                       FIXED_AMOUNT: min(amount, subtotal) split over the lines in proportion to
//                       their subtotals (largest remainder, earlier line first on ties), so the
//                       line discounts add up to the amount exactly;
//   3. line tax       = on the discounted line, rounded half up per line:
//                       exclusive: net × rate; inclusive (prices include it): net × rate / (1 + rate);
//   4. shipping       = the rate's price (0 with a FREE_SHIPPING code); shipping is not taxed;
//   5. total          = subtotal − discounts + shipping, + tax when tax is exclusive;
//   6. loyalty        = redeemed points × the point's value, at most the total, rounded down,
//                       taken off the total (withLoyaltyDiscount).
//
// Half up is half away from zero here, as every amount is positive or zero.
import { Prisma } from '@commerce/database';
import { minorUnits } from '@commerce/graphql-kit';
import { redemptionDiscount } from '@commerce/loyalty';

type Decimal = Prisma.Decimal;

/** A line to price. */
export interface PricingLine {
  unitPrice: Decimal;
  quantity: number;
  /** False for a line tax does not apply to (a draft order's custom line); taxed when left out. */
  taxable?: boolean;
}

/** The order-level discount of the cart, already found applicable. */
export type OrderDiscount = { type: 'PERCENTAGE'; percent: Decimal } | { type: 'FIXED_AMOUNT'; amount: Decimal };

export interface PricingInput {
  currencyCode: string;
  lines: readonly PricingLine[];
  discount: OrderDiscount | null;
  /** Price of the shipping rate; null when nothing is charged for shipping. */
  shipping: Decimal | null;
  freeShipping: boolean;
  tax: { rate: Decimal; inclusive: boolean } | null;
}

export interface PricedLine {
  subtotal: Decimal;
  discount: Decimal;
  tax: Decimal;
}

export interface PricedCart {
  lines: PricedLine[];
  subtotal: Decimal;
  discounts: Decimal;
  shipping: Decimal;
  tax: Decimal;
  taxesIncluded: boolean;
  /** What redeemed loyalty points take off the total (withLoyaltyDiscount); zero otherwise. */
  loyaltyDiscount: Decimal;
  total: Decimal;
}

const RATE_SCALE = 1_000_000n;
const PERCENT_SCALE = 10_000n;

/** A ÷ b rounded half up, for a ≥ 0 and b > 0. */
export function divideHalfUp(a: bigint, b: bigint): bigint {
  return (2n * a + b) / (2n * b);
}

/** An amount as a whole number of `digits` decimal places, rounded half up. */
function scaled(amount: Decimal, digits: number): bigint {
  return BigInt(
    amount.times(new Prisma.Decimal(10).pow(digits)).toDecimalPlaces(0, Prisma.Decimal.ROUND_HALF_UP).toFixed(0),
  );
}

/** Minor units back to an amount (exact: a power-of-ten division). */
function amountOf(units: bigint, digits: number): Decimal {
  return new Prisma.Decimal(units.toString()).dividedBy(new Prisma.Decimal(10).pow(digits));
}

/** An amount in minor units of the currency, rounded half up. */
export function toMinorUnits(amount: Decimal, currencyCode: string): bigint {
  return scaled(amount, minorUnits(currencyCode));
}

/** Minor units of the currency as an amount. */
export function fromMinorUnits(units: bigint, currencyCode: string): Decimal {
  return amountOf(units, minorUnits(currencyCode));
}

/** The lines' subtotal (step 1), which minimum order amounts and shipping rate bounds compare with. */
export function linesSubtotal(currencyCode: string, lines: readonly PricingLine[]): Decimal {
  const digits = minorUnits(currencyCode);
  return amountOf(
    lines.reduce((sum, line) => sum + scaled(line.unitPrice.times(line.quantity), digits), 0n),
    digits,
  );
}

/** Splits `amount` over `weights` in proportion, in whole units that add up to `amount` exactly. */
export function allocateProportionally(amount: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0n);
  if (total === 0n || amount === 0n) return weights.map(() => 0n);
  const shares = weights.map((weight) => (amount * weight) / total);
  let left = amount - shares.reduce((sum, share) => sum + share, 0n);
  const byRemainder = weights
    .map((weight, index) => ({ index, remainder: (amount * weight) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares;
}

/** Prices a cart or an order (see the rules at the top of this file). */
export function priceCart(input: PricingInput): PricedCart {
  const digits = minorUnits(input.currencyCode);
  const subtotals = input.lines.map((line) => scaled(line.unitPrice.times(line.quantity), digits));
  const subtotal = subtotals.reduce((sum, value) => sum + value, 0n);

  let discounts: bigint[];
  if (input.discount?.type === 'PERCENTAGE') {
    const percent = scaled(input.discount.percent, 4);
    discounts = subtotals.map((value) => divideHalfUp(value * percent, 100n * PERCENT_SCALE));
  } else if (input.discount?.type === 'FIXED_AMOUNT') {
    const amount = scaled(input.discount.amount, digits);
    discounts = allocateProportionally(amount < subtotal ? amount : subtotal, subtotals);
  } else {
    discounts = subtotals.map(() => 0n);
  }

  const rate = input.tax ? scaled(input.tax.rate, 6) : 0n;
  const inclusive = input.tax?.inclusive ?? false;
  const taxes = subtotals.map((value, index) => {
    const net = value - (discounts[index] ?? 0n);
    if (rate === 0n || input.lines[index]?.taxable === false) return 0n;
    return inclusive ? divideHalfUp(net * rate, RATE_SCALE + rate) : divideHalfUp(net * rate, RATE_SCALE);
  });

  const discountTotal = discounts.reduce((sum, value) => sum + value, 0n);
  const taxTotal = taxes.reduce((sum, value) => sum + value, 0n);
  const shipping = input.shipping === null || input.freeShipping ? 0n : scaled(input.shipping, digits);
  const total = subtotal - discountTotal + shipping + (inclusive ? 0n : taxTotal);
  return {
    lines: subtotals.map((value, index) => ({
      subtotal: amountOf(value, digits),
      discount: amountOf(discounts[index] ?? 0n, digits),
      tax: amountOf(taxes[index] ?? 0n, digits),
    })),
    subtotal: amountOf(subtotal, digits),
    discounts: amountOf(discountTotal, digits),
    shipping: amountOf(shipping, digits),
    tax: amountOf(taxTotal, digits),
    taxesIncluded: inclusive && rate > 0n,
    loyaltyDiscount: amountOf(0n, digits),
    total: amountOf(total, digits),
  };
}

/**
 * Step 6: redeemed loyalty points, a tender taken off what is payable after every other step
 * (codes, shipping, tax), so lines and tax stay as priced: `points` × `unitValue`, never more
 * than the total, rounded down to minor units (redemptionDiscount).
 */
export function withLoyaltyDiscount(
  priced: PricedCart,
  currencyCode: string,
  points: number,
  unitValue: Decimal | null,
): PricedCart {
  if (points <= 0 || unitValue === null) return priced;
  const loyaltyDiscount = redemptionDiscount(points, unitValue, priced.total, minorUnits(currencyCode));
  return { ...priced, loyaltyDiscount, total: priced.total.minus(loyaltyDiscount) };
}

/** An amount × numerator ÷ denominator, in minor units rounded half up (refund of some units of a line). */
export function proportionOf(amount: Decimal, numerator: number, denominator: number, currencyCode: string): Decimal {
  const digits = minorUnits(currencyCode);
  return amountOf(divideHalfUp(scaled(amount, digits) * BigInt(numerator), BigInt(denominator)), digits);
}

/** The platform's commission on a payment: amount × rate, rounded half up to minor units. */
export function commissionOf(amount: Decimal, rate: Decimal, currencyCode: string): Decimal {
  const digits = minorUnits(currencyCode);
  return amountOf(divideHalfUp(scaled(amount, digits) * scaled(rate, 6), RATE_SCALE), digits);
}
