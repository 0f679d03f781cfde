// The loyalty ledger's writes, in the caller's transaction. Each change is one statement that
// inserts the ledger row and moves the customer's balance row by the same points, so the balance
// is always the ledger's sum; a debit larger than the balance breaks the balance's CHECK
// (points >= 0) and fails the statement, which is what keeps concurrent redemptions from
// overdrawing it (the second waits on the first's row lock, then sees the lower balance).
import { Prisma, type Transaction } from '@commerce/database';
import { appendOutboxEvent, type EventType } from '@commerce/events';
import { pointsEarned, pointsToReverse } from './loyalty-rules.js';

export type LoyaltyTransactionKind = 'EARN' | 'REDEEM' | 'REVERSE' | 'REFUND_REDEMPTION' | 'ADJUST';

export interface LoyaltyChange {
  storeId: string;
  customerId: string;
  kind: LoyaltyTransactionKind;
  /** Signed: positive credits, negative debits. */
  points: number;
  orderId?: string | null;
  note?: string;
}

const EVENT_OF: Record<LoyaltyTransactionKind, EventType> = {
  EARN: 'loyalty.points_earned',
  REDEEM: 'loyalty.points_redeemed',
  REVERSE: 'loyalty.points_reversed',
  REFUND_REDEMPTION: 'loyalty.redemption_refunded',
  ADJUST: 'loyalty.points_adjusted',
};

/** Thrown when a debit is larger than the customer's balance; nothing was written. */
export class InsufficientLoyaltyPoints extends Error {
  constructor() {
    super('Not enough loyalty points.');
  }
}

/**
 * Writes one ledger row and moves the balance by its points, announcing it on the outbox; returns
 * false (and writes nothing) when an order has already earned. Throws InsufficientLoyaltyPoints
 * when a debit would take the balance below zero.
 */
export async function recordLoyaltyChange(tx: Transaction, change: LoyaltyChange): Promise<boolean> {
  if (change.points === 0) return false;
  const orderId = change.orderId ?? null;
  const entry = Prisma.sql`entry AS (
        INSERT INTO "LoyaltyTransaction" ("storeId", "customerId", "kind", "points", "orderId", "note")
        VALUES (${change.storeId}::uuid, ${change.customerId}::uuid, ${change.kind}::"LoyaltyTransactionKind",
          ${change.points}::int, ${orderId}::uuid, ${change.note ?? ''})
        ON CONFLICT ("storeId", "orderId") WHERE "kind" = 'EARN' DO NOTHING
        RETURNING "storeId", "customerId", "points"
      )`;
  let rows: unknown[];
  try {
    // A credit may create the balance row; a debit only updates it (a CHECK is tested on the row
    // an INSERT proposes, before ON CONFLICT turns it into an update).
    rows =
      change.points > 0
        ? await tx.$queryRaw<unknown[]>`
            WITH ${entry}
            INSERT INTO "LoyaltyBalance" ("storeId", "customerId", "points")
            SELECT entry."storeId", entry."customerId", entry."points" FROM entry
            ON CONFLICT ("storeId", "customerId") DO UPDATE
              SET "points" = "LoyaltyBalance"."points" + excluded."points", "updatedAt" = excluded."updatedAt"
            RETURNING 1`
        : await tx.$queryRaw<unknown[]>`
            WITH ${entry}
            UPDATE "LoyaltyBalance" b SET "points" = b."points" + entry."points", "updatedAt" = ${new Date()}
            FROM entry
            WHERE b."storeId" = ${change.storeId}::uuid AND b."storeId" = entry."storeId" AND b."customerId" = entry."customerId"
            RETURNING 1`;
  } catch (error) {
    if (isBalanceCheck(error)) throw new InsufficientLoyaltyPoints();
    throw error;
  }
  // A debit with no balance row to take it from.
  if (rows.length === 0 && change.points < 0) throw new InsufficientLoyaltyPoints();
  if (rows.length === 0) return false;
  await appendOutboxEvent(tx, {
    storeId: change.storeId,
    type: EVENT_OF[change.kind],
    aggregateType: 'Customer',
    aggregateId: change.customerId,
    payload: { customerId: change.customerId, orderId, points: change.points },
  });
  return true;
}

function isBalanceCheck(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return text.includes('LoyaltyBalance_points_check');
}

interface ProgramRow {
  enabled: boolean;
  pointsPerUnit: Prisma.Decimal;
}

/**
 * Earns the points of a paid order of a signed-in customer under the store's programme, if it is
 * enabled; an order earns once, however often its payment is reported.
 */
export async function earnLoyaltyPoints(
  tx: Transaction,
  order: { storeId: string; customerId: string | null; orderId: string; amount: Prisma.Decimal },
): Promise<number> {
  if (!order.customerId) return 0;
  const [program] = await tx.$queryRaw<ProgramRow[]>`
    SELECT "enabled", "pointsPerUnit" FROM "LoyaltyProgram" WHERE "storeId" = ${order.storeId}::uuid`;
  if (!program?.enabled) return 0;
  const points = pointsEarned(order.amount, new Prisma.Decimal(program.pointsPerUnit));
  const earned = await recordLoyaltyChange(tx, {
    storeId: order.storeId,
    customerId: order.customerId,
    kind: 'EARN',
    points,
    orderId: order.orderId,
  });
  return earned ? points : 0;
}

/**
 * Takes back the points an order earned in proportion to `refundedInAll` of its `total`, and,
 * when `cancelled`, gives back the points redeemed on it. Debits never exceed the balance: what
 * the customer already spent stays spent (the balance stops at zero).
 */
export async function reverseLoyaltyPoints(
  tx: Transaction,
  order: { storeId: string; orderId: string; total: Prisma.Decimal; refundedInAll: Prisma.Decimal; cancelled: boolean },
): Promise<void> {
  const rows = await tx.$queryRaw<
    { customerId: string; kind: LoyaltyTransactionKind; points: number; balance: number | null }[]
  >`
    SELECT t."customerId", t."kind", sum(t."points")::int AS "points", b."points" AS "balance"
    FROM "LoyaltyTransaction" t
    LEFT JOIN "LoyaltyBalance" b ON b."storeId" = t."storeId" AND b."customerId" = t."customerId"
    WHERE t."storeId" = ${order.storeId}::uuid AND t."orderId" = ${order.orderId}::uuid
    GROUP BY t."customerId", t."kind", b."points"`;
  const customerId = rows[0]?.customerId;
  if (!customerId) return;
  const of = (kind: LoyaltyTransactionKind) => rows.find((row) => row.kind === kind)?.points ?? 0;
  let balance = rows[0]?.balance ?? 0;
  const redeemed = -of('REDEEM') - of('REFUND_REDEMPTION');
  if (order.cancelled && redeemed > 0) {
    await recordLoyaltyChange(tx, {
      storeId: order.storeId,
      customerId,
      kind: 'REFUND_REDEMPTION',
      points: redeemed,
      orderId: order.orderId,
    });
    balance += redeemed;
  }
  const reverse = Math.min(
    pointsToReverse(of('EARN'), order.total, order.cancelled ? order.total : order.refundedInAll, -of('REVERSE')),
    balance,
  );
  if (reverse > 0)
    await recordLoyaltyChange(tx, {
      storeId: order.storeId,
      customerId,
      kind: 'REVERSE',
      points: -reverse,
      orderId: order.orderId,
    });
}

/**
 * The common table expressions that earn `points` for a new order inside another statement (the
 * checkout's one write statement, whose statement count is fixed): the ledger row and the balance
 * moved by it. Its event is `loyaltyEarnedEvent`, added to that statement's outbox events.
 */
export function loyaltyEarnCtes(earn: {
  storeId: string;
  customerId: string;
  orderId: string;
  points: number;
}): Prisma.Sql {
  return Prisma.sql`loyalty_entry AS (
      INSERT INTO "LoyaltyTransaction" ("storeId", "customerId", "kind", "points", "orderId")
      VALUES (${earn.storeId}::uuid, ${earn.customerId}::uuid, 'EARN', ${earn.points}::int, ${earn.orderId}::uuid)
      RETURNING "storeId", "customerId", "points"
    ), loyalty_balance AS (
      INSERT INTO "LoyaltyBalance" ("storeId", "customerId", "points")
      SELECT loyalty_entry."storeId", loyalty_entry."customerId", loyalty_entry."points" FROM loyalty_entry
      ON CONFLICT ("storeId", "customerId") DO UPDATE
        SET "points" = "LoyaltyBalance"."points" + excluded."points", "updatedAt" = excluded."updatedAt"
      RETURNING 1
    )`;
}

/** `loyalty.points_earned` of an order's points. */
export function loyaltyEarnedEvent(earn: { storeId: string; customerId: string; orderId: string; points: number }) {
  return {
    storeId: earn.storeId,
    type: 'loyalty.points_earned' as const,
    aggregateType: 'Customer',
    aggregateId: earn.customerId,
    payload: { customerId: earn.customerId, orderId: earn.orderId, points: earn.points },
  };
}
