// Cart pricing against a reference written separately, in integer minor units, over many random
// carts (a seeded PRNG, so a failure can be replayed).
import { describe, expect, it } from 'vitest';
import { Prisma } from '@commerce/database';
import { allocateProportionally, priceCart, type PricingInput } from '../src/services/pricing.js';

/** mulberry32: a small seeded PRNG. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RandomCart {
  currencyCode: string;
  digits: number;
  /** Unit prices in minor units. */
  lines: { unit: bigint; quantity: bigint }[];
  /** Percent in hundredths (1250 = 12.50 %), or a fixed amount in minor units. */
  discount: { type: 'PERCENTAGE'; hundredths: bigint } | { type: 'FIXED_AMOUNT'; units: bigint } | null;
  shipping: bigint | null;
  freeShipping: boolean;
  /** Rate in millionths (190000 = 19 %). */
  tax: { millionths: bigint; inclusive: boolean } | null;
}

const CURRENCIES = [
  { code: 'EUR', digits: 2 },
  { code: 'JPY', digits: 0 },
  { code: 'KWD', digits: 3 },
];

function randomCart(random: () => number): RandomCart {
  const int = (max: number) => Math.floor(random() * (max + 1));
  const currency = CURRENCIES[int(CURRENCIES.length - 1)] ?? { code: 'EUR', digits: 2 };
  const lines = Array.from({ length: 1 + int(6) }, () => ({
    unit: BigInt(int(random() < 0.1 ? 10_000_000 : 50_000)),
    quantity: BigInt(1 + int(random() < 0.1 ? 500 : 9)),
  }));
  const kind = int(3);
  const discount =
    kind === 0
      ? { type: 'PERCENTAGE' as const, hundredths: BigInt(int(10_000)) }
      : kind === 1
        ? { type: 'FIXED_AMOUNT' as const, units: BigInt(int(200_000)) }
        : null;
  const taxKind = int(2);
  return {
    currencyCode: currency.code,
    digits: currency.digits,
    lines,
    discount,
    shipping: random() < 0.7 ? BigInt(int(3_000)) : null,
    freeShipping: random() < 0.2,
    tax:
      taxKind === 0
        ? null
        : { millionths: BigInt(int(random() < 0.5 ? 300_000 : 1_000_000)), inclusive: taxKind === 2 },
  };
}

/** round(n / d) half up, for n ≥ 0, in integers. */
function roundHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d) * 2n >= d ? q + 1n : q;
}

/** The reference: the documented rules, computed in integers only. */
function reference(cart: RandomCart) {
  const subtotals = cart.lines.map((line) => line.unit * line.quantity);
  const subtotal = subtotals.reduce((a, b) => a + b, 0n);
  let discounts = subtotals.map(() => 0n);
  if (cart.discount?.type === 'PERCENTAGE') {
    const hundredths = cart.discount.hundredths;
    discounts = subtotals.map((value) => roundHalfUp(value * hundredths, 10_000n));
  } else if (cart.discount?.type === 'FIXED_AMOUNT' && subtotal > 0n) {
    const amount = cart.discount.units < subtotal ? cart.discount.units : subtotal;
    // Largest remainder: floor shares, then one unit each to the largest remainders, earlier first on ties.
    const floors = subtotals.map((value) => (amount * value) / subtotal);
    const remainders = subtotals.map((value, index) => ({ index, remainder: (amount * value) % subtotal }));
    let left = amount - floors.reduce((a, b) => a + b, 0n);
    remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
    for (const { index } of remainders) {
      if (left === 0n) break;
      floors[index]! += 1n;
      left -= 1n;
    }
    discounts = floors;
  }
  const taxes = subtotals.map((value, index) => {
    if (!cart.tax) return 0n;
    const net = value - discounts[index]!;
    return cart.tax.inclusive
      ? roundHalfUp(net * cart.tax.millionths, 1_000_000n + cart.tax.millionths)
      : roundHalfUp(net * cart.tax.millionths, 1_000_000n);
  });
  const discountTotal = discounts.reduce((a, b) => a + b, 0n);
  const taxTotal = taxes.reduce((a, b) => a + b, 0n);
  const shipping = cart.shipping === null || cart.freeShipping ? 0n : cart.shipping;
  const total = subtotal - discountTotal + shipping + (cart.tax && !cart.tax.inclusive ? taxTotal : 0n);
  return { subtotal, discountTotal, shipping, taxTotal, total, discounts, taxes };
}

/** Minor units as the decimal string priceCart's amounts print as. */
function decimal(units: bigint, digits: number): string {
  return new Prisma.Decimal(units.toString()).dividedBy(10 ** digits).toFixed(digits);
}

function pricingInput(cart: RandomCart): PricingInput {
  const amount = (units: bigint) => new Prisma.Decimal(decimal(units, cart.digits));
  return {
    currencyCode: cart.currencyCode,
    lines: cart.lines.map((line) => ({ unitPrice: amount(line.unit), quantity: Number(line.quantity) })),
    discount:
      cart.discount?.type === 'PERCENTAGE'
        ? { type: 'PERCENTAGE', percent: new Prisma.Decimal(cart.discount.hundredths.toString()).dividedBy(100) }
        : cart.discount?.type === 'FIXED_AMOUNT'
          ? { type: 'FIXED_AMOUNT', amount: amount(cart.discount.units) }
          : null,
    shipping: cart.shipping === null ? null : amount(cart.shipping),
    freeShipping: cart.freeShipping,
    tax: cart.tax
      ? { rate: new Prisma.Decimal(cart.tax.millionths.toString()).dividedBy(1_000_000), inclusive: cart.tax.inclusive }
      : null,
  };
}

describe('cart pricing', () => {
  it('matches the integer reference for 500 random carts (EUR, JPY, KWD; discounts, shipping, inclusive and exclusive tax)', () => {
    const random = prng(20261121);
    for (let index = 0; index < 500; index += 1) {
      const cart = randomCart(random);
      const expected = reference(cart);
      const priced = priceCart(pricingInput(cart));
      const digits = cart.digits;
      const context = `cart #${index}: ${JSON.stringify(cart, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))}`;
      expect(priced.subtotal.toFixed(digits), context).toBe(decimal(expected.subtotal, digits));
      expect(priced.discounts.toFixed(digits), context).toBe(decimal(expected.discountTotal, digits));
      expect(priced.shipping.toFixed(digits), context).toBe(decimal(expected.shipping, digits));
      expect(priced.tax.toFixed(digits), context).toBe(decimal(expected.taxTotal, digits));
      expect(priced.total.toFixed(digits), context).toBe(decimal(expected.total, digits));
      expect(
        priced.lines.map((line) => line.discount.toFixed(digits)),
        context,
      ).toEqual(expected.discounts.map((units) => decimal(units, digits)));
      expect(
        priced.lines.map((line) => line.tax.toFixed(digits)),
        context,
      ).toEqual(expected.taxes.map((units) => decimal(units, digits)));
    }
  });

  it('rounds half up per line: 3 lines of 0.05 at 10 % exclusive tax is 0.03 of tax, not 0.02', () => {
    const priced = priceCart({
      currencyCode: 'EUR',
      lines: [0, 1, 2].map(() => ({ unitPrice: new Prisma.Decimal('0.05'), quantity: 1 })),
      discount: null,
      shipping: null,
      freeShipping: false,
      tax: { rate: new Prisma.Decimal('0.1'), inclusive: false },
    });
    expect(priced.tax.toFixed(2)).toBe('0.03');
    expect(priced.total.toFixed(2)).toBe('0.18');
  });

  it('a fixed discount splits over the lines to the cent and never exceeds the subtotal', () => {
    expect(allocateProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    const priced = priceCart({
      currencyCode: 'EUR',
      lines: [{ unitPrice: new Prisma.Decimal('3.00'), quantity: 1 }],
      discount: { type: 'FIXED_AMOUNT', amount: new Prisma.Decimal('5.00') },
      shipping: new Prisma.Decimal('4.90'),
      freeShipping: false,
      tax: null,
    });
    expect([priced.discounts.toFixed(2), priced.total.toFixed(2)]).toEqual(['3.00', '4.90']);
  });

  it('an untaxed line takes its share of the discount but no tax', () => {
    const priced = priceCart({
      currencyCode: 'EUR',
      lines: [
        { unitPrice: new Prisma.Decimal('10.00'), quantity: 1 },
        { unitPrice: new Prisma.Decimal('10.00'), quantity: 1, taxable: false },
      ],
      discount: { type: 'PERCENTAGE', percent: new Prisma.Decimal('10') },
      shipping: null,
      freeShipping: false,
      tax: { rate: new Prisma.Decimal('0.2'), inclusive: false },
    });
    expect(priced.lines.map((line) => [line.discount.toFixed(2), line.tax.toFixed(2)])).toEqual([
      ['1.00', '1.80'],
      ['1.00', '0.00'],
    ]);
    expect(priced.total.toFixed(2)).toBe('19.80');
  });
});
