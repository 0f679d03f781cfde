import { Prisma } from '@commerce/database';
import { money, requireStore, type Money, type RequestContext } from '@commerce/graphql-kit';

/** An amount as Money in the currency of the request's store (every price of a store is in it). */
export function storeMoney(context: RequestContext, amount: Prisma.Decimal): Money {
  return money(amount, requireStore(context).currencyCode);
}

/** The smallest amount, or null for none. */
export function lowest(amounts: readonly Prisma.Decimal[]): Prisma.Decimal | null {
  return amounts.length > 0 ? Prisma.Decimal.min(...amounts) : null;
}

/** The largest amount, or null for none. */
export function highest(amounts: readonly Prisma.Decimal[]): Prisma.Decimal | null {
  return amounts.length > 0 ? Prisma.Decimal.max(...amounts) : null;
}
