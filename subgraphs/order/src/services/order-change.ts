// What every change of a placed order shares: finding and locking the order, who may change it,
// payments and money bookkeeping, and the customer's stats.
import {
  Prisma,
  type Order,
  type OrderLine,
  type Payment,
  type PaymentTransaction,
  type Transaction,
} from '@commerce/database';
import {
  graphqlError,
  keyOrNull,
  minorUnits,
  notFound,
  requirePermission,
  requireStore,
  type UserError,
} from '@commerce/graphql-kit';
import type { LocationQuantity } from '@commerce/inventory';
import type { SubgraphContext } from '../context.js';
import { paymentProvider, type PaymentProviderId } from '../payments/index.js';
import { actorOf, type OrderActor } from './order-events.js';
import type { OrderErrorCode } from '../__generated__/resolvers-types.js';

type Decimal = Prisma.Decimal;

/** What the order mutations answer. */
export interface OrderResult {
  order: Order | null;
  userErrors: UserError<OrderErrorCode>[];
}

/** Who changes the order: staff with the orders permission, or (where allowed) the customer who placed it. */
export type OrderChanger = 'staff' | 'staffOrCustomer';

/**
 * Runs a change of an order of the request's store in one transaction, with the order row locked
 * so changes of one order take turns. Staff need MANAGE_ORDERS; a customer reaches only their own
 * orders (others, and other stores' orders, are NOT_FOUND).
 */
export async function changeOrder<T>(
  context: SubgraphContext,
  orderGlobalId: string,
  changer: OrderChanger,
  change: (tx: Transaction, order: Order, actor: OrderActor) => Promise<T>,
): Promise<T> {
  const customerId =
    changer === 'staffOrCustomer' && context.viewer.kind === 'customer' ? context.viewer.customerId : null;
  if (!customerId) await requirePermission(context, 'MANAGE_ORDERS');
  const storeId = requireStore(context).id;
  const key = keyOrNull(orderGlobalId, 'Order');
  if (!key) throw notFound(`Order "${orderGlobalId}"`);
  return context.db.transaction(async (tx) => {
    const order = await lockOrder(tx, storeId, key);
    if (!order || (customerId && order.customerId !== customerId)) throw notFound(`Order "${orderGlobalId}"`);
    return change(tx, order, actorOf(context));
  });
}

/** The order, locked until the transaction ends (changes of one order take turns); null when there is none. */
export async function lockOrder(tx: Transaction, storeId: string, orderId: string): Promise<Order | null> {
  const [order] = await tx.$queryRaw<Order[]>`
    SELECT * FROM "Order" WHERE "storeId" = ${storeId}::uuid AND "id" = ${orderId}::uuid FOR UPDATE`;
  return order ?? null;
}

/** The order's lines, in order. */
export function orderLinesOf(tx: Transaction, order: Pick<Order, 'storeId' | 'id'>): Promise<OrderLine[]> {
  return tx.orderLine.findMany({
    where: { storeId: order.storeId, orderId: order.id },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** Where a line's units are committed, as stored. */
export function allocationsOf(line: Pick<OrderLine, 'allocations'>): LocationQuantity[] {
  if (!Array.isArray(line.allocations)) return [];
  return line.allocations.flatMap((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
    const { locationId, quantity } = entry as Record<string, unknown>;
    return typeof locationId === 'string' && typeof quantity === 'number' && quantity > 0
      ? [{ locationId, quantity }]
      : [];
  });
}

export type PaymentWithTransactions = Payment & { transactions: PaymentTransaction[] };

export function paymentsOf(tx: Transaction, order: Pick<Order, 'storeId' | 'id'>): Promise<PaymentWithTransactions[]> {
  return tx.payment.findMany({
    where: { storeId: order.storeId, orderId: order.id },
    include: { transactions: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** Payment statuses that still hold authorized money for capture. */
const HOLDING = new Set(['AUTHORIZED', 'PARTIALLY_PAID']);

/** What the buyer has paid: what was captured of the payments, before refunds. */
export function totalPaid(payments: readonly Payment[]): Decimal {
  return payments.reduce((sum, payment) => sum.plus(payment.capturedAmount), new Prisma.Decimal(0));
}

/** What a payment still holds for capture: the authorized amount not captured yet, while the authorization is open. */
export function heldOn(payment: Payment): Decimal {
  return HOLDING.has(payment.status) ? payment.amount.minus(payment.capturedAmount) : new Prisma.Decimal(0);
}

/** What the order's payments still hold for capture. */
export function totalHeld(payments: readonly Payment[]): Decimal {
  return payments.reduce((sum, payment) => sum.plus(heldOn(payment)), new Prisma.Decimal(0));
}

function refundedOn(payment: PaymentWithTransactions): Decimal {
  return payment.transactions
    .filter((transaction) => transaction.kind === 'REFUND')
    .reduce((sum, transaction) => sum.plus(transaction.amount), new Prisma.Decimal(0));
}

/**
 * Gives `amount` back on the captured payments, oldest first, through each payment's provider,
 * and books it (a REFUND transaction, the payment's status). A provider that refuses rolls the
 * whole change back (TRY_AGAIN): nothing is half refunded.
 */
export async function refundPayments(
  tx: Transaction,
  payments: readonly PaymentWithTransactions[],
  amount: Decimal,
  reference: string | null,
): Promise<void> {
  let left = amount;
  for (const payment of payments) {
    if (left.isZero()) break;
    const refunded = refundedOn(payment);
    const room = payment.capturedAmount.minus(refunded);
    if (room.lessThanOrEqualTo(0)) continue;
    const take = Prisma.Decimal.min(room, left);
    const outcome = await paymentProvider(payment.provider as PaymentProviderId).refund({
      reference: payment.providerReference,
      amount: take,
      currencyCode: payment.currencyCode,
    });
    if (!outcome.ok) throw graphqlError('TRY_AGAIN', `The payment provider refused the refund: ${outcome.message}`);
    await tx.paymentTransaction.create({
      data: {
        storeId: payment.storeId,
        paymentId: payment.id,
        kind: 'REFUND',
        status: 'SUCCESS',
        amount: take,
        providerReference: reference ?? outcome.reference,
      },
    });
    // A payment that still holds part of its authorization stays open for capture.
    if (!HOLDING.has(payment.status)) {
      await tx.payment.update({
        where: { storeId_id: { storeId: payment.storeId, id: payment.id } },
        data: {
          status: refunded.plus(take).greaterThanOrEqualTo(payment.capturedAmount) ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
        },
      });
    }
    left = left.minus(take);
  }
  if (!left.isZero()) throw new Error('Refund exceeds the payments received.');
}

/**
 * Calls off every payment of the order that has not taken money: pending ones (bank transfer,
 * cash on delivery) and what authorizations still hold, through their providers, each with a
 * VOID transaction. A part-captured payment keeps what it captured (status PAID: nothing is
 * held any more). Returns what was released.
 */
export async function voidOpenPayments(
  tx: Transaction,
  payments: readonly PaymentWithTransactions[],
  reference: string | null = null,
): Promise<Decimal> {
  let released = new Prisma.Decimal(0);
  for (const payment of payments) {
    const held = payment.status === 'PENDING' ? payment.amount : heldOn(payment);
    if (held.lessThanOrEqualTo(0)) continue;
    const outcome = await paymentProvider(payment.provider as PaymentProviderId).void({
      reference: payment.providerReference,
      amount: held,
      currencyCode: payment.currencyCode,
    });
    if (!outcome.ok)
      throw graphqlError('TRY_AGAIN', `The payment provider refused to void the payment: ${outcome.message}`);
    await tx.payment.update({
      where: { storeId_id: { storeId: payment.storeId, id: payment.id } },
      data: { status: payment.capturedAmount.greaterThan(0) ? 'PAID' : 'VOIDED' },
    });
    await tx.paymentTransaction.create({
      data: {
        storeId: payment.storeId,
        paymentId: payment.id,
        kind: 'VOID',
        status: 'SUCCESS',
        amount: held,
        providerReference: reference ?? outcome.reference,
      },
    });
    released = released.plus(held);
  }
  return released;
}

/** Keeps the customer's stats current: orders placed and not cancelled, and what they spent net of refunds. */
export async function adjustCustomerStats(
  tx: Transaction,
  order: Order,
  change: { orders: number; spent: Decimal },
): Promise<void> {
  if (!order.customerId) return;
  await tx.$executeRaw`
    UPDATE "CustomerOrderStats"
    SET "ordersCount" = GREATEST("ordersCount" + ${change.orders}, 0), "totalSpent" = GREATEST("totalSpent" + ${change.spent.toFixed()}::numeric, 0)
    WHERE "storeId" = ${order.storeId}::uuid AND "customerId" = ${order.customerId}::uuid`;
}

/** An amount as messages show it: "12.50 EUR". */
export function formatAmount(amount: Decimal, currencyCode: string): string {
  return `${amount.toFixed(minorUnits(currencyCode))} ${currencyCode}`;
}
