// The arithmetic of a loyalty programme, shared by the customer subgraph (which keeps the ledger)
// and the order subgraph (which earns on paid orders and redeems at checkout). Points are whole
// numbers; money is exact (Decimal) and rounded to the currency's minor unit only at the end.
import { Prisma } from '@commerce/database';

type Decimal = Prisma.Decimal;

/** A tier: reached with at least `minimumPoints` earned in the last 12 months. */
export interface LoyaltyTier {
  name: string;
  minimumPoints: number;
}

/** Points earned by spending `amount`: whole points, rounded down, never negative. */
export function pointsEarned(amount: Decimal, pointsPerUnit: Decimal): number {
  const points = amount.times(pointsPerUnit).floor();
  return points.isNegative() ? 0 : points.toNumber();
}

/**
 * Points to take back now that `refundedInAll` of an order's `total` has been refunded (or
 * cancelled): the earned points in that proportion, rounded down, less the `alreadyReversed`, so
 * refunds in parts add up to what one refund of the same sum would take, and all of it in the end.
 */
export function pointsToReverse(
  earned: number,
  total: Decimal,
  refundedInAll: Decimal,
  alreadyReversed: number,
): number {
  if (earned <= 0) return 0;
  const target =
    total.lte(0) || refundedInAll.gte(total) ? earned : refundedInAll.div(total).times(earned).floor().toNumber();
  return Math.max(0, Math.min(target, earned) - alreadyReversed);
}

/**
 * The discount `points` buy: points × unitValue, never more than `payable`, rounded down to the
 * currency's `minorUnits` (so a customer never gets a fraction of a cent more than they paid for).
 */
export function redemptionDiscount(points: number, unitValue: Decimal, payable: Decimal, minorUnits: number): Decimal {
  const value = unitValue.times(points);
  const capped = value.gt(payable) ? payable : value;
  return capped.toDecimalPlaces(minorUnits, Prisma.Decimal.ROUND_DOWN);
}

/** The tier of a customer who earned `earnedLastYear` points in the last 12 months, or null. */
export function tierOf(tiers: readonly LoyaltyTier[], earnedLastYear: number): LoyaltyTier | null {
  let reached: LoyaltyTier | null = null;
  for (const tier of tiers)
    if (earnedLastYear >= tier.minimumPoints && (!reached || tier.minimumPoints >= reached.minimumPoints))
      reached = tier;
  return reached;
}

/** Tiers as stored (JSON), checked; anything else is read as no tiers. */
export function parseTiers(value: unknown): LoyaltyTier[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((tier: unknown) => {
    if (typeof tier !== 'object' || tier === null) return [];
    const { name, minimumPoints } = tier as Record<string, unknown>;
    return typeof name === 'string' && typeof minimumPoints === 'number' ? [{ name, minimumPoints }] : [];
  });
}
