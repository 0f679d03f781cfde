import { refundStoreAmount } from './store-amounts.js';
import { Prisma, type Order, type OrderLine, type Refund, type RefundLine, type Transaction } from '@commerce/database';
import { appendOutboxEvents } from '@commerce/events';
import {
  InputErrors,
  keyOrNull,
  minorUnits,
  requirePermission,
  requireStore,
  userError,
  violatesUniqueIndex,
  type UserError,
} from '@commerce/graphql-kit';
import {
  allocationsJson,
  inventoryEvents,
  lockStock,
  releaseStock,
  restock,
  takeFromAllocations,
  type LevelChange,
} from '@commerce/inventory';
import { queueBuyerNotification } from '@commerce/mail';
import { reverseLoyaltyPoints } from '@commerce/loyalty';
import type { OrderErrorCode, RefundCreateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { RefundParent } from '../mappers.js';
import {
  adjustCustomerStats,
  allocationsOf,
  changeOrder,
  formatAmount,
  orderLinesOf,
  paymentsOf,
  refundPayments,
  totalHeld,
  totalPaid,
} from './order-change.js';
import { orderRefundedEvent } from './order-figures.js';
import { refundInCurrency } from './order-children.js';
import { appendOrderEvent, stockActorType, type OrderActor } from './order-events.js';
import { checkTransition, fulfillmentProgress, nextStatus, openQuantity, paymentStatusAfter } from './order-status.js';
import { proportionOf } from './pricing.js';
import { returnRefundPlan, settleReturn, type ReturnRefundPlan } from './return.service.js';

type Decimal = Prisma.Decimal;
type RefundWithLines = Refund & { lines: RefundLine[] };

/** The refundCreate payload; the refund carries its order's currency, which its Money is in. */
export interface RefundResult {
  refund: RefundParent | null;
  order: Order | null;
  userErrors: UserError<OrderErrorCode>[];
}

const MAX_KEY_LENGTH = 255;
const MAX_REASON = 500;
const KEY_INDEX = 'Refund_storeId_idempotencyKey_key';

interface RefundRequest {
  key: string;
  amount: Decimal | null;
  lines: { lineId: string; quantity: number; index: number }[] | null;
  reason: string;
  restock: boolean;
  /** The return to settle: its received units not refunded yet, instead of `lines`. */
  returnId: string | null;
  /** With returnId: give back the shipping not refunded yet too. */
  includeShipping: boolean;
}

/** What the buyer paid for a line: its price after its discount, plus its tax when tax was added on top. */
function linePaid(order: Order, line: OrderLine): Decimal {
  const net = line.totalPrice.minus(line.discountTotal);
  return order.taxesIncluded ? net : net.plus(line.taxTotal);
}

/** Whether a stored refund is the answer to this request (the same key, order and content). */
function sameRequest(refund: RefundWithLines, orderId: string, request: RefundRequest): boolean {
  if (refund.orderId !== orderId) return false;
  if (request.returnId) return refund.returnId === request.returnId;
  if (request.amount) return refund.lines.length === 0 && refund.amount.equals(request.amount);
  const stored = refund.lines.map((line) => `${line.orderLineId}:${line.quantity}`).sort();
  const asked = (request.lines ?? []).map((line) => `${line.lineId}:${line.quantity}`).sort();
  return stored.length === asked.length && stored.every((entry, index) => entry === asked[index]);
}

function storedRefund(tx: Transaction, storeId: string, key: string): Promise<RefundWithLines | null> {
  return tx.refund.findUnique({
    where: { storeId_idempotencyKey: { storeId, idempotencyKey: key } },
    include: { lines: true },
  });
}

async function replay(
  tx: Transaction,
  refund: RefundWithLines,
  orderId: string,
  request: RefundRequest,
): Promise<RefundResult> {
  if (!sameRequest(refund, orderId, request)) {
    return {
      refund: null,
      order: null,
      userErrors: [
        userError(
          ['idempotencyKey'],
          'This idempotency key was used for another refund; use a new key for a new refund.',
          'IDEMPOTENCY_KEY_REUSED',
        ),
      ],
    };
  }
  const order = await tx.order.findUniqueOrThrow({
    where: { storeId_id: { storeId: refund.storeId, id: refund.orderId } },
  });
  return { refund: refundInCurrency(refund, order.currencyCode), order, userErrors: [] };
}

/**
 * Refunds an amount, or units of lines (what the buyer paid for them), of a paid order (staff),
 * never more than was paid and not refunded yet; once per idempotency key. Refunded units that
 * have not shipped are released back to sale; shipped ones come back to stock when `restock`.
 */
export async function createRefund(
  context: SubgraphContext,
  input: RefundCreateInput,
  idempotencyKey: string,
): Promise<RefundResult> {
  await requirePermission(context, 'MANAGE_ORDERS');
  const store = requireStore(context);
  const errors = new InputErrors<OrderErrorCode>().text(['input', 'reason'], input.reason, MAX_REASON);
  const key = idempotencyKey.trim();
  if (key === '')
    errors.add(['idempotencyKey'], 'Give a key that identifies this refund, and repeat it on retries.', 'BLANK');
  else if (key.length > MAX_KEY_LENGTH)
    errors.add(['idempotencyKey'], `Use at most ${MAX_KEY_LENGTH} characters.`, 'TOO_LONG');
  const given = [input.amount, input.lines, input.returnId].filter((value) => value != null).length;
  if (given !== 1) errors.add(['input'], 'Give an amount, lines or a return to refund (one of them).', 'INVALID');
  const returnId = input.returnId == null ? null : keyOrNull(input.returnId, 'Return');
  if (input.returnId != null && !returnId)
    errors.add(['input', 'returnId'], 'There is no such return of this order.', 'NOT_FOUND');
  if (input.includeShipping && input.returnId == null)
    errors.add(
      ['input', 'includeShipping'],
      'Shipping is given back with a return; give returnId, or refund an amount.',
      'INVALID',
    );
  if (input.restock && input.returnId != null)
    errors.add(
      ['input', 'restock'],
      "A return's units go back to stock when they arrive (returnReceive); leave restock out.",
      'INVALID',
    );
  let amount: Decimal | null = null;
  if (input.amount != null) {
    amount = new Prisma.Decimal(input.amount);
    // Its precision is checked against the order's currency, once the order is read (refundOrder).
    if (amount.lessThanOrEqualTo(0)) errors.add(['input', 'amount'], 'Refund more than zero.', 'INVALID');
  }
  const lines = input.lines?.map((line, index) => {
    const lineId = keyOrNull(line.orderLineId, 'OrderLine');
    if (!lineId)
      errors.add(['input', 'lines', String(index), 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      errors.add(['input', 'lines', String(index), 'quantity'], 'Refund at least 1 unit.', 'INVALID');
    return { lineId: lineId ?? '', quantity: line.quantity, index };
  });
  if (lines && new Set(lines.map((line) => line.lineId)).size !== lines.length)
    errors.add(['input', 'lines'], 'Name each line once.', 'INVALID');
  if (lines?.length === 0) errors.add(['input', 'lines'], 'Name at least one line.', 'INVALID');
  if (!errors.ok) return { refund: null, order: null, userErrors: errors.errors };
  const request: RefundRequest = {
    key,
    amount,
    lines: lines ?? null,
    reason: input.reason.trim(),
    restock: input.restock ?? false,
    returnId,
    includeShipping: input.includeShipping ?? false,
  };
  try {
    return await changeOrder(context, input.orderId, 'staff', (tx, order, actor) =>
      refundOrder(tx, order, actor, request),
    );
  } catch (error) {
    // A concurrent refund with the same key committed first: this one rolled back.
    if (!violatesUniqueIndex(error, KEY_INDEX, ['storeId', 'idempotencyKey'])) throw error;
    return context.db.transaction(async (tx) => {
      const stored = await storedRefund(tx, store.id, key);
      if (!stored) throw error;
      return replay(tx, stored, keyOrNull(input.orderId, 'Order') ?? '', request);
    });
  }
}

async function refundOrder(
  tx: Transaction,
  order: Order,
  actor: OrderActor,
  request: RefundRequest,
): Promise<RefundResult> {
  const stored = await storedRefund(tx, order.storeId, request.key);
  if (stored) return replay(tx, stored, order.id, request);
  const refusal = checkTransition(order, 'refund');
  if (refusal)
    return {
      refund: null,
      order,
      userErrors: [
        { ...refusal, code: refusal.code, message: `${refusal.message} Nothing was paid that could be refunded.` },
      ],
    };

  // The amount is in the order's currency, which may not be the store's (checked against that at the edge).
  const digits = minorUnits(order.currencyCode);
  if (request.amount && request.amount.decimalPlaces() > digits)
    return {
      refund: null,
      order,
      userErrors: [
        userError(
          ['input', 'amount'],
          `Amounts in ${order.currencyCode} have at most ${digits} decimals.`,
          'TOO_PRECISE',
        ),
      ],
    };

  let plan: ReturnRefundPlan | null = null;
  if (request.returnId) {
    const planned = await returnRefundPlan(tx, order, request.returnId);
    if (!('ret' in planned)) return { refund: null, order, userErrors: [planned] };
    plan = planned;
  }
  const payments = await paymentsOf(tx, order);
  const refundable = totalPaid(payments).minus(order.totalRefunded);
  const orderLines = await orderLinesOf(tx, order);
  const problems: UserError<OrderErrorCode>[] = [];
  const refundLines: { line: OrderLine; quantity: number; amount: Decimal }[] = [];
  const asked = plan ? plan.lines : request.lines;
  if (plan) {
    // Returned units have shipped; a line with units still to ship would have those refunded first.
    for (const { lineId } of plan.lines) {
      const line = orderLines.find((candidate) => candidate.id === lineId);
      if (line && openQuantity(line) > 0)
        problems.push(
          userError(
            ['input', 'returnId'],
            `"${line.title}" still has ${openQuantity(line)} units to ship; ship or refund them before settling the return.`,
            'INVALID_TRANSITION',
          ),
        );
    }
  }
  if (asked) {
    const refundedByLine = await tx.refundLine.groupBy({
      by: ['orderLineId'],
      where: { storeId: order.storeId, orderLineId: { in: orderLines.map((line) => line.id) } },
      _sum: { amount: true },
    });
    for (const { lineId, quantity, index } of asked) {
      const line = orderLines.find((candidate) => candidate.id === lineId);
      const field = ['input', 'lines', String(index)];
      if (!line) {
        problems.push(userError([...field, 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND'));
        continue;
      }
      const left = line.quantity - line.refundedQuantity;
      if (quantity > left) {
        problems.push(
          userError([...field, 'quantity'], `Only ${left} of "${line.title}" are left to refund.`, 'TOO_MANY'),
        );
        continue;
      }
      const paid = linePaid(order, line);
      const already =
        refundedByLine.find((entry) => entry.orderLineId === line.id)?._sum.amount ?? new Prisma.Decimal(0);
      // The last units get what is left of the line, so a line refunded unit by unit adds up to what was paid for it.
      const amount =
        quantity === left
          ? Prisma.Decimal.max(paid.minus(already), 0)
          : proportionOf(paid, quantity, line.quantity, order.currencyCode);
      refundLines.push({ line, quantity, amount });
    }
  }
  if (problems.length > 0) return { refund: null, order, userErrors: problems };
  const linesAmount =
    request.amount ?? refundLines.reduce((sum, entry) => sum.plus(entry.amount), new Prisma.Decimal(0));
  // Shipping goes back only as far as it was not refunded yet and the payments still cover it.
  const shippingAmount =
    plan && request.includeShipping
      ? Prisma.Decimal.max(0, Prisma.Decimal.min(await shippingLeft(tx, order), refundable.minus(linesAmount)))
      : new Prisma.Decimal(0);
  const amount = linesAmount.plus(shippingAmount);
  if (amount.greaterThan(refundable)) {
    return {
      refund: null,
      order,
      userErrors: [
        userError(
          request.amount ? ['input', 'amount'] : plan ? ['input', 'returnId'] : ['input', 'lines'],
          `At most ${formatAmount(refundable, order.currencyCode)} can be refunded (what was paid and not refunded yet).`,
          'TOO_MUCH',
        ),
      ],
    };
  }

  // A return's units came back to stock (or were written off) when they arrived.
  const changes = plan ? [] : await returnStock(tx, order, refundLines, actor, request.restock);
  for (const { line, quantity } of refundLines) {
    const unshipped = plan ? 0 : Math.min(quantity, openQuantity(line));
    const { rest } = takeFromAllocations(allocationsOf(line), unshipped);
    await tx.orderLine.update({
      where: { storeId_id: { storeId: order.storeId, id: line.id } },
      data: { refundedQuantity: { increment: quantity }, allocations: allocationsJson(rest) },
    });
  }
  // An order in a presentment currency gives back its share of the store total too (store-amounts.ts).
  const storeAmount = refundStoreAmount(order, amount);
  const refund = await tx.refund.create({
    data: {
      storeId: order.storeId,
      orderId: order.id,
      amount,
      storeAmount,
      reason: request.reason,
      restock: request.restock,
      idempotencyKey: request.key,
      returnId: plan?.ret.id ?? null,
      shippingAmount,
      lines: {
        create: refundLines.map(({ line, quantity, amount: lineAmount }) => ({
          orderLineId: line.id,
          quantity,
          amount: lineAmount,
        })),
      },
    },
    include: { lines: true },
  });
  if (amount.greaterThan(0)) await refundPayments(tx, payments, amount, `refund:${refund.id}`);
  if (plan) await settleReturn(tx, order, plan);
  const totalRefunded = order.totalRefunded.plus(amount);
  const after = orderLines.map((line) => ({
    ...line,
    refundedQuantity: line.refundedQuantity + (refundLines.find((entry) => entry.line.id === line.id)?.quantity ?? 0),
  }));
  const progress = fulfillmentProgress(after);
  const status = nextStatus(order, 'refund', progress.status);
  const fulfillmentStatus = order.fulfillmentStatus === 'DELIVERED' ? 'DELIVERED' : progress.fulfillmentStatus;
  const updated = await tx.order.update({
    where: { storeId_id: { storeId: order.storeId, id: order.id } },
    data: {
      totalRefunded,
      ...(storeAmount
        ? { storeTotalRefunded: (order.storeTotalRefunded ?? new Prisma.Decimal(0)).plus(storeAmount) }
        : {}),
      paymentStatus: paymentStatusAfter(
        { total: order.total, captured: totalPaid(payments), refunded: totalRefunded, held: totalHeld(payments) },
        order.paymentStatus,
      ),
      status,
      fulfillmentStatus,
    },
  });
  await adjustCustomerStats(tx, order, { orders: 0, spent: (storeAmount ?? amount).negated() });
  await reverseLoyaltyPoints(tx, {
    storeId: order.storeId,
    orderId: order.id,
    total: order.total,
    refundedInAll: totalRefunded,
    cancelled: false,
  });
  const units = refundLines.map(({ line, quantity }) => `${quantity} × ${line.title}`);
  if (shippingAmount.greaterThan(0)) units.push(`shipping (${formatAmount(shippingAmount, order.currencyCode)})`);
  const what = `${units.length > 0 ? ` for ${units.join(', ')}` : ''}${plan ? ' of a return' : ''}`;
  await appendOrderEvent(
    tx,
    order,
    'REFUNDED',
    `Refunded ${formatAmount(amount, order.currencyCode)}${what}: ${request.reason}.`,
    actor,
    plan ? { refundId: refund.id, returnId: plan.ret.id } : { refundId: refund.id },
  );
  await appendOutboxEvents(tx, [
    ...inventoryEvents(order.storeId, changes),
    orderRefundedEvent(order, refund.id, amount, refundLines, plan?.ret.id ?? null, storeAmount),
  ]);
  if (amount.greaterThan(0))
    await queueBuyerNotification(tx, {
      storeId: order.storeId,
      kind: 'REFUND',
      to: order.email,
      data: { orderId: order.id, refundId: refund.id },
    });
  return { refund: refundInCurrency(refund, updated.currencyCode), order: updated, userErrors: [] };
}

/** Shipping of the order not given back yet by earlier refunds. */
async function shippingLeft(tx: Transaction, order: Order): Promise<Decimal> {
  const refunded = await tx.refund.aggregate({
    where: { storeId: order.storeId, orderId: order.id },
    _sum: { shippingAmount: true },
  });
  return Prisma.Decimal.max(0, order.shippingTotal.minus(refunded._sum.shippingAmount ?? 0));
}

/**
 * Stock of refunded units: those not shipped yet are released back to sale (they never left);
 * shipped ones come back to stock only with `restock`. All the variants' levels are locked first,
 * in the order every order stock change locks them.
 */
async function returnStock(
  tx: Transaction,
  order: Order,
  refundLines: readonly { line: OrderLine; quantity: number }[],
  actor: OrderActor,
  restockShipped: boolean,
): Promise<LevelChange[]> {
  const stockActor = { type: stockActorType(actor), id: actor.id, orderId: order.id };
  const release: { variantId: string; allocations: ReturnType<typeof allocationsOf> }[] = [];
  const back: { variantId: string; quantity: number }[] = [];
  for (const { line, quantity } of refundLines) {
    if (!line.variantId) continue;
    const unshipped = Math.min(quantity, openQuantity(line));
    if (unshipped > 0)
      release.push({
        variantId: line.variantId,
        allocations: takeFromAllocations(allocationsOf(line), unshipped).taken,
      });
    // Shipped units come back to the default location, where returns are received.
    if (restockShipped && quantity > unshipped)
      back.push({ variantId: line.variantId, quantity: quantity - unshipped });
  }
  await lockStock(
    tx,
    order.storeId,
    [...release, ...back].map((entry) => entry.variantId),
  );
  const released = await releaseStock(tx, order.storeId, release, stockActor, { restock: true });
  const restocked = await restock(tx, order.storeId, back, stockActor);
  return [...released, ...restocked];
}
