// Orders in a presentment currency, from cart to refunds, over random carts, rates, roundings and
// splits of refunds (fast-check): no minor unit is lost or invented in either currency.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convertAmount, convertPrice, type CurrencyRounding, type PresentmentCurrency } from '@commerce/currency';
import { Prisma, type Order } from '@commerce/database';
import { minorUnits } from '@commerce/graphql-kit';
import { priceCart, withLoyaltyDiscount, type OrderDiscount } from '../src/services/pricing.js';
import { refundStoreAmount, storeAmountsOf } from '../src/services/store-amounts.js';

type Decimal = Prisma.Decimal;
const decimal = (value: string | number | Decimal) => new Prisma.Decimal(value);
const sum = (amounts: readonly Decimal[]) => amounts.reduce((total, amount) => total.plus(amount), decimal(0));
const wholeMinorUnits = (amount: Decimal, currencyCode: string) => amount.decimalPlaces() <= minorUnits(currencyCode);

const arbitraryOrder = fc.record({
  storeCurrencyCode: fc.constantFrom('EUR', 'JPY', 'KWD'),
  currencyCode: fc.constantFrom('USD', 'GBP', 'JPY', 'BHD'),
  rateMillionths: fc.integer({ min: 1_000, max: 200_000_000 }),
  rounding: fc.constantFrom<CurrencyRounding>('MINOR_UNITS', 'WHOLE_UNITS', 'ENDING_99', 'ENDING_95'),
  lines: fc.array(
    fc.record({ storeUnits: fc.integer({ min: 0, max: 500_000 }), quantity: fc.integer({ min: 1, max: 12 }) }),
    { minLength: 1, maxLength: 8 },
  ),
  discount: fc.option(
    fc.oneof(
      fc.record({ type: fc.constant('PERCENTAGE' as const), percent: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ type: fc.constant('FIXED_AMOUNT' as const), storeUnits: fc.integer({ min: 1, max: 100_000 }) }),
    ),
  ),
  shippingStoreUnits: fc.option(fc.integer({ min: 0, max: 5_000 })),
  tax: fc.option(fc.record({ permille: fc.integer({ min: 0, max: 300 }), inclusive: fc.boolean() })),
  loyalty: fc.option(
    fc.record({ points: fc.integer({ min: 1, max: 5_000 }), valueCents: fc.integer({ min: 1, max: 100 }) }),
  ),
  refundWeights: fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }),
});

describe('an order in a presentment currency and its refunds', () => {
  it('loses and invents no minor unit in either currency, from cart to the last refund', () => {
    fc.assert(
      fc.property(arbitraryOrder, (input) => {
        if (input.currencyCode === input.storeCurrencyCode) return;
        const store = input.storeCurrencyCode;
        const storeAmount = (units: number) => decimal(units).dividedBy(decimal(10).pow(minorUnits(store)));
        const currency: PresentmentCurrency = {
          currencyCode: input.currencyCode,
          rate: decimal(input.rateMillionths).dividedBy(1_000_000),
          rounding: input.rounding,
        };
        // The cart, priced as checkout prices it: store prices converted per unit, then the cart's pricing.
        const discount: OrderDiscount | null =
          input.discount?.type === 'PERCENTAGE'
            ? { type: 'PERCENTAGE', percent: decimal(input.discount.percent) }
            : input.discount
              ? { type: 'FIXED_AMOUNT', amount: convertAmount(storeAmount(input.discount.storeUnits), currency) }
              : null;
        const priced = withLoyaltyDiscount(
          priceCart({
            currencyCode: currency.currencyCode,
            lines: input.lines.map((line) => ({
              unitPrice: convertPrice(storeAmount(line.storeUnits), currency),
              quantity: line.quantity,
            })),
            discount,
            shipping:
              input.shippingStoreUnits === null ? null : convertPrice(storeAmount(input.shippingStoreUnits), currency),
            freeShipping: false,
            tax: input.tax && { rate: decimal(input.tax.permille).dividedBy(1000), inclusive: input.tax.inclusive },
          }),
          currency.currencyCode,
          input.loyalty?.points ?? 0,
          input.loyalty ? decimal(input.loyalty.valueCents).dividedBy(100).times(currency.rate) : null,
        );
        const amounts = storeAmountsOf(priced, currency, store);

        // Both totals are whole minor units and exactly the sums of their parts.
        for (const amount of [amounts.subtotal, amounts.discounts, amounts.shipping, amounts.tax, amounts.total])
          expect(wholeMinorUnits(amount, store)).toBe(true);
        expect(wholeMinorUnits(priced.total, currency.currencyCode)).toBe(true);
        expect(amounts.subtotal.equals(sum(amounts.lines.map((line) => line.totalPrice)))).toBe(true);
        expect(amounts.tax.equals(sum(amounts.lines.map((line) => line.taxTotal)))).toBe(true);
        const taxOnTop = (tax: Decimal, included: boolean) => (included ? decimal(0) : tax);
        expect(
          amounts.total.equals(
            amounts.subtotal
              .minus(amounts.discounts)
              .plus(amounts.shipping)
              .plus(taxOnTop(amounts.tax, priced.taxesIncluded))
              .minus(amounts.loyaltyDiscount),
          ),
        ).toBe(true);
        expect(amounts.total.isNegative()).toBe(false);
        // An order the buyer pays nothing for is worth nothing to the store either.
        if (priced.total.isZero()) expect(amounts.total.isZero()).toBe(true);

        // Refunds split the presentment total in whole minor units; each gives back its store share.
        const digits = minorUnits(currency.currencyCode);
        const totalUnits = BigInt(priced.total.times(decimal(10).pow(digits)).toFixed(0));
        const weightSum = BigInt(input.refundWeights.reduce((a, b) => a + b, 0));
        let left = totalUnits;
        const refunds = input.refundWeights.map((weight, index) => {
          const units = index === input.refundWeights.length - 1 ? left : (totalUnits * BigInt(weight)) / weightSum;
          left -= units;
          return decimal(units.toString()).dividedBy(decimal(10).pow(digits));
        });
        let order = {
          total: priced.total,
          totalRefunded: decimal(0),
          storeTotal: amounts.total,
          storeTotalRefunded: decimal(0),
          storeCurrencyCode: store,
        } as unknown as Order;
        for (const amount of refunds) {
          const share = refundStoreAmount(order, amount);
          if (!share) throw new Error('no store share');
          expect(share.isNegative()).toBe(false);
          expect(wholeMinorUnits(share, store)).toBe(true);
          order = {
            ...order,
            totalRefunded: order.totalRefunded.plus(amount),
            storeTotalRefunded: (order.storeTotalRefunded ?? decimal(0)).plus(share),
          };
          expect((order.storeTotalRefunded ?? decimal(0)).lessThanOrEqualTo(amounts.total)).toBe(true);
        }
        expect(order.totalRefunded.equals(priced.total)).toBe(true);
        expect(order.storeTotalRefunded?.equals(amounts.total)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
