import { Decimal, minorUnits } from '@commerce/graphql-kit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convertAmount,
  convertPrice,
  type PresentmentCurrency,
  roundPrice,
  storeShareOfRefund,
  toStoreAmount,
} from '../src/index.js';

const usd = (rounding: PresentmentCurrency['rounding']): PresentmentCurrency => ({
  currencyCode: 'USD',
  rate: new Decimal('1.0825'),
  rounding,
});

describe('rounding of converted prices', () => {
  it('rounds half-up to the minor units by default', () => {
    expect(convertPrice('10.00', usd('MINOR_UNITS')).toFixed()).toBe('10.83');
    expect(
      convertPrice('1000', { currencyCode: 'JPY', rate: new Decimal('161.234'), rounding: 'MINOR_UNITS' }).toFixed(),
    ).toBe('161234');
  });

  it('moves prices up to a .99 or .95 ending, or to whole units', () => {
    expect(roundPrice(new Decimal('12.34'), 'USD', 'ENDING_99').toFixed(2)).toBe('12.99');
    expect(roundPrice(new Decimal('12.99'), 'USD', 'ENDING_99').toFixed(2)).toBe('12.99');
    expect(roundPrice(new Decimal('12.995'), 'USD', 'ENDING_99').toFixed(2)).toBe('13.99');
    expect(roundPrice(new Decimal('12.96'), 'USD', 'ENDING_95').toFixed(2)).toBe('13.95');
    expect(roundPrice(new Decimal('12.01'), 'USD', 'WHOLE_UNITS').toFixed(2)).toBe('13.00');
    expect(roundPrice(new Decimal('0'), 'USD', 'ENDING_99').toFixed(2)).toBe('0.00');
  });

  it('uses whole units for endings in a currency without cents', () => {
    expect(roundPrice(new Decimal('1234.2'), 'JPY', 'ENDING_99').toFixed()).toBe('1234');
    expect(roundPrice(new Decimal('1234.6'), 'JPY', 'ENDING_99').toFixed()).toBe('1235');
  });

  it('never rounds a price down and never moves it by a unit or more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.constantFrom<PresentmentCurrency['rounding']>('MINOR_UNITS', 'WHOLE_UNITS', 'ENDING_99', 'ENDING_95'),
        (cents, rounding) => {
          const exact = new Decimal(cents).dividedBy(100);
          const rounded = roundPrice(exact, 'USD', rounding);
          expect(rounded.greaterThanOrEqualTo(exact)).toBe(true);
          expect(rounded.minus(exact).lessThan(1)).toBe(true);
          expect(rounded.decimalPlaces()).toBeLessThanOrEqual(2);
        },
      ),
    );
  });

  it('converts non-price amounts to minor units without an ending', () => {
    expect(convertAmount('5.00', usd('ENDING_99')).toFixed(2)).toBe('5.41');
  });
});

describe('store amounts', () => {
  it('divides by the rate and rounds to the store currency', () => {
    expect(toStoreAmount('10.83', usd('MINOR_UNITS'), 'EUR').toFixed(2)).toBe('10.00');
    expect(toStoreAmount('12.99', usd('ENDING_99'), 'EUR').toFixed(2)).toBe('12.00');
  });

  it('gives back the whole store total, no more, no less, over any split of refunds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
        (lineCents, rateMillionths, weights) => {
          const currency: PresentmentCurrency = {
            currencyCode: 'USD',
            rate: new Decimal(rateMillionths).dividedBy(100_000),
            rounding: 'MINOR_UNITS',
          };
          const lines = lineCents.map((cents) => new Decimal(cents).dividedBy(100));
          const total = lines.reduce((sum, line) => sum.plus(line), new Decimal(0));
          const storeTotal = lines.reduce(
            (sum, line) => sum.plus(toStoreAmount(line, currency, 'EUR')),
            new Decimal(0),
          );
          // Split the presentment total into refunds proportional to the weights, in whole cents.
          const weightSum = weights.reduce((a, b) => a + b, 0);
          const totalCents = total.times(100).toNumber();
          let left = totalCents;
          const refunds = weights.map((weight, index) => {
            const cents = index === weights.length - 1 ? left : Math.floor((totalCents * weight) / weightSum);
            left -= cents;
            return new Decimal(cents).dividedBy(100);
          });
          let refundedBefore = new Decimal(0);
          let storeRefunded = new Decimal(0);
          for (const amount of refunds) {
            const share = storeShareOfRefund({
              amount,
              refundedBefore,
              presentmentTotal: total,
              storeTotal,
              storeCurrencyCode: 'EUR',
            });
            expect(share.isNegative()).toBe(false);
            expect(share.decimalPlaces()).toBeLessThanOrEqual(minorUnits('EUR'));
            storeRefunded = storeRefunded.plus(share);
            refundedBefore = refundedBefore.plus(amount);
          }
          expect(refundedBefore.equals(total)).toBe(true);
          expect(storeRefunded.equals(storeTotal)).toBe(true);
        },
      ),
    );
  });
});
