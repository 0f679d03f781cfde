import { Prisma } from '@commerce/database';

/** The smallest amount, or null for none. */
export function lowest(amounts: readonly Prisma.Decimal[]): Prisma.Decimal | null {
  return amounts.length > 0 ? Prisma.Decimal.min(...amounts) : null;
}

/** The largest amount, or null for none. */
export function highest(amounts: readonly Prisma.Decimal[]): Prisma.Decimal | null {
  return amounts.length > 0 ? Prisma.Decimal.max(...amounts) : null;
}
