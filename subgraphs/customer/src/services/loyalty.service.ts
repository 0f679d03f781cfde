import { Prisma, type Customer, type LoyaltyProgram, type LoyaltyTransaction } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import {
  InputErrors,
  requirePermission,
  sqlConnection,
  type Connection,
  type PageArgs,
  type SqlSortKey,
  type UserError,
} from '@commerce/graphql-kit';
import { parseTiers, tierOf } from '@commerce/loyalty';
import type { CustomerErrorCode, LoyaltyProgramUpdateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { CustomerLoyaltyParent } from '../mappers.js';

// The loyalty ledger is the customer domain's (DESIGN §3); @commerce/loyalty holds its writes and
// arithmetic, which the order subgraph uses too when an order is paid, refunded or cancelled and
// when points are redeemed at checkout. The programme is a store setting that prices every point,
// so setting it takes the store permission (MANAGE_STORE), not the customers one.

export interface LoyaltyProgramResult {
  loyaltyProgram: LoyaltyProgram | null;
  userErrors: UserError<CustomerErrorCode>[];
}

const MAX_RATE = new Prisma.Decimal('99999999');

function rate(errors: InputErrors<CustomerErrorCode>, field: string, value: string): Prisma.Decimal | null {
  let parsed: Prisma.Decimal;
  try {
    parsed = new Prisma.Decimal(value);
  } catch {
    errors.add(['input', field], 'Enter a number, e.g. "1" or "0.01".');
    return null;
  }
  if (!parsed.isFinite() || parsed.isNegative() || parsed.gt(MAX_RATE) || parsed.decimalPlaces() > 4) {
    errors.add(['input', field], 'Enter a number from 0 with at most 4 decimal places.');
    return null;
  }
  return parsed;
}

/** Sets the request store's loyalty programme (MANAGE_STORE); announced as loyalty.program_updated. */
export async function updateLoyaltyProgram(
  context: SubgraphContext,
  input: LoyaltyProgramUpdateInput,
): Promise<LoyaltyProgramResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = new InputErrors<CustomerErrorCode>();
  const pointsPerUnit = rate(errors, 'pointsPerUnit', input.pointsPerUnit);
  const unitValue = rate(errors, 'unitValue', input.unitValue);
  const tiers = (input.tiers ?? []).map((tier, index) => {
    errors.text(['input', 'tiers', String(index), 'name'], tier.name, 60);
    if (!Number.isInteger(tier.minimumPoints) || tier.minimumPoints < 0)
      errors.add(['input', 'tiers', String(index), 'minimumPoints'], 'Enter a whole number of points from 0.');
    return { name: tier.name.trim(), minimumPoints: tier.minimumPoints };
  });
  if (new Set(tiers.map((tier) => tier.name.toLowerCase())).size !== tiers.length)
    errors.add(['input', 'tiers'], 'Give each tier a different name.');
  if (!errors.ok || !pointsPerUnit || !unitValue)
    return { loyaltyProgram: null, userErrors: errors.errors as UserError<CustomerErrorCode>[] };
  tiers.sort((a, b) => a.minimumPoints - b.minimumPoints);
  const data = { enabled: input.enabled, pointsPerUnit, unitValue, tiers };
  const loyaltyProgram = await context.db.transaction(async (tx) => {
    const program = await tx.loyaltyProgram.upsert({ where: { storeId }, create: { storeId, ...data }, update: data });
    await appendOutboxEvent(tx, {
      storeId,
      type: 'loyalty.program_updated',
      aggregateType: 'Store',
      aggregateId: storeId,
      payload: { enabled: program.enabled, pointsPerUnit: pointsPerUnit.toFixed(), unitValue: unitValue.toFixed() },
    });
    return program;
  });
  return { loyaltyProgram, userErrors: [] };
}

/** The store's programme, or null when it has none (anyone may read it: storefronts show it). */
export async function loyaltyProgramOf(context: SubgraphContext, storeId: string): Promise<LoyaltyProgram | null> {
  return context.db.read((tx) => tx.loyaltyProgram.findUnique({ where: { storeId } }));
}

/** A customer's points, tier and points earned in the last 12 months, in one statement. */
export async function customerLoyalty(context: SubgraphContext, customer: Customer): Promise<CustomerLoyaltyParent> {
  const [row] = await context.db.read(
    (tx) => tx.$queryRaw<{ points: number | null; earnedLastYear: number | null; tiers: unknown }[]>`
      SELECT
        (SELECT b."points" FROM "LoyaltyBalance" b
          WHERE b."storeId" = ${customer.storeId}::uuid AND b."customerId" = ${customer.id}::uuid) AS "points",
        (SELECT sum(t."points")::int FROM "LoyaltyTransaction" t
          WHERE t."storeId" = ${customer.storeId}::uuid AND t."customerId" = ${customer.id}::uuid
            AND t."kind" IN ('EARN', 'REVERSE') AND t."createdAt" > now() - interval '12 months') AS "earnedLastYear",
        (SELECT p."tiers" FROM "LoyaltyProgram" p WHERE p."storeId" = ${customer.storeId}::uuid) AS "tiers"`,
  );
  const earnedLastYear = Math.max(0, row?.earnedLastYear ?? 0);
  return { customer, points: row?.points ?? 0, earnedLastYear, tier: tierOf(parseTiers(row?.tiers), earnedLastYear) };
}

const NEWEST_FIRST: SqlSortKey<LoyaltyTransaction> = {
  field: 'createdAt',
  kind: 'date',
  value: (transaction) => transaction.createdAt,
  descending: true,
  sql: { value: Prisma.sql`t."createdAt"`, id: Prisma.sql`t."id"` },
};

/** A customer's ledger, newest first. */
export function loyaltyTransactions(
  context: SubgraphContext,
  customer: Customer,
  args: PageArgs,
): Promise<Connection<LoyaltyTransaction>> {
  return sqlConnection({
    args,
    sort: NEWEST_FIRST,
    fetch: (keyset) =>
      context.db.read(
        (tx) => tx.$queryRaw<LoyaltyTransaction[]>`
          SELECT t."id"::text AS "id", t."storeId"::text AS "storeId", t."customerId"::text AS "customerId", t."kind",
                 t."points", t."orderId"::text AS "orderId", t."note", t."createdAt"
          FROM "LoyaltyTransaction" t
          WHERE t."storeId" = ${customer.storeId}::uuid AND t."customerId" = ${customer.id}::uuid AND ${keyset.where}
          ORDER BY ${keyset.orderBy}
          LIMIT ${keyset.limit}`,
      ),
    count: async () => 0,
  });
}
