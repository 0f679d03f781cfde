import { Prisma } from '@commerce/database';
import { InputErrors } from '@commerce/graphql-kit';
import { appendOutboxEvents } from '@commerce/events';
import { inventoryEvents, releaseStock } from '@commerce/inventory';
import { queueBuyerNotification } from '@commerce/mail';
import type {
  OrderCancelInput,
  OrderConfirmInput,
  OrderErrorCode,
  OrderMarkDeliveredInput,
  OrderMarkPaidInput,
  OrderNoteAddInput,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import {
  adjustCustomerStats,
  allocationsOf,
  changeOrder,
  formatAmount,
  orderLinesOf,
  paymentsOf,
  refundPayments,
  totalPaid,
  type OrderResult,
} from './order-change.js';
import { orderCancelledEvent } from './order-figures.js';
import { appendOrderEvent, stockActorType } from './order-events.js';
import { checkTransition } from './order-status.js';

const MAX_REASON = 500;
const MAX_NOTE = 2_000;
const MAX_REFERENCE = 255;

/** PENDING → CONFIRMED (staff). */
export function confirmOrder(context: SubgraphContext, input: OrderConfirmInput): Promise<OrderResult> {
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'confirm');
    if (refusal) return { order, userErrors: [refusal] };
    const confirmed = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { status: 'CONFIRMED', confirmedAt: new Date() },
    });
    await appendOrderEvent(tx, order, 'CONFIRMED', `Order #${order.number} confirmed.`, actor);
    return { order: confirmed, userErrors: [] };
  });
}

/** Records that a bank transfer or cash payment arrived (staff): the pending payment is captured. */
export function markOrderPaid(context: SubgraphContext, input: OrderMarkPaidInput): Promise<OrderResult> {
  const errors = new InputErrors<OrderErrorCode>();
  const reference = input.reference?.trim() || null;
  if (reference && reference.length > MAX_REFERENCE)
    errors.add(['input', 'reference'], `Use at most ${MAX_REFERENCE} characters.`, 'TOO_LONG');
  if (!errors.ok) return Promise.resolve({ order: null, userErrors: errors.errors });
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'markPaid');
    if (refusal) return { order, userErrors: [refusal] };
    const payments = await paymentsOf(tx, order);
    const pending = payments.find((payment) => payment.status === 'PENDING');
    if (pending) {
      await tx.payment.update({
        where: { storeId_id: { storeId: order.storeId, id: pending.id } },
        data: { status: 'PAID', providerReference: reference ?? pending.providerReference },
      });
      await tx.paymentTransaction.create({
        data: {
          storeId: order.storeId,
          paymentId: pending.id,
          kind: 'CAPTURE',
          status: 'SUCCESS',
          amount: pending.amount,
          providerReference: reference,
        },
      });
    } else {
      // A payment that failed at the provider, paid another way: record it as received by hand.
      await tx.payment.create({
        data: {
          storeId: order.storeId,
          orderId: order.id,
          provider: 'MANUAL',
          status: 'PAID',
          amount: order.total,
          netAmount: order.total,
          currencyCode: order.currencyCode,
          providerReference: reference,
          transactions: {
            create: { kind: 'CAPTURE', status: 'SUCCESS', amount: order.total, providerReference: reference },
          },
        },
      });
    }
    const paid = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { paymentStatus: 'PAID' },
    });
    await appendOrderEvent(
      tx,
      order,
      'PAID',
      `Payment of ${formatAmount(order.total, order.currencyCode)} received${reference ? ` (reference ${reference})` : ''}.`,
      actor,
    );
    await queueBuyerNotification(tx, {
      storeId: order.storeId,
      kind: 'PAYMENT_RECEIVED',
      to: order.email,
      data: { orderId: order.id },
    });
    return { order: paid, userErrors: [] };
  });
}

/**
 * Cancels an order that has not shipped: staff (PENDING or CONFIRMED), or the customer who placed
 * it while it is PENDING. Its committed units are released to sale (restock) or written off, and
 * whatever was paid is refunded.
 */
export function cancelOrder(context: SubgraphContext, input: OrderCancelInput): Promise<OrderResult> {
  const errors = new InputErrors<OrderErrorCode>().text(['input', 'reason'], input.reason, MAX_REASON);
  if (!errors.ok) return Promise.resolve({ order: null, userErrors: errors.errors });
  const byCustomer = context.viewer.kind === 'customer';
  // Customers cannot write stock off: what they cancel goes back on sale.
  const restock = byCustomer ? true : (input.restock ?? true);
  return changeOrder(context, input.orderId, 'staffOrCustomer', async (tx, order, actor) => {
    const refusal = checkTransition(order, byCustomer ? 'customerCancel' : 'cancel');
    if (refusal) return { order, userErrors: [refusal] };
    const reason = input.reason.trim();
    const lines = await orderLinesOf(tx, order);
    const stockActor = { type: stockActorType(actor), id: actor.id, orderId: order.id };
    const changes = await releaseStock(
      tx,
      order.storeId,
      lines.flatMap((line) =>
        line.variantId ? [{ variantId: line.variantId, allocations: allocationsOf(line) }] : [],
      ),
      stockActor,
      { restock },
    );
    await tx.orderLine.updateMany({ where: { storeId: order.storeId, orderId: order.id }, data: { allocations: [] } });

    // Built from the order as it stood, before this cancellation refunds what is left.
    const cancelledEvent = await orderCancelledEvent(tx, order, lines);
    const payments = await paymentsOf(tx, order);
    const refundable = totalPaid(payments).minus(order.totalRefunded);
    let paymentStatus = order.paymentStatus;
    if (refundable.greaterThan(0)) {
      await tx.refund.create({
        data: {
          storeId: order.storeId,
          orderId: order.id,
          amount: refundable,
          reason: `Order cancelled: ${reason}`,
          restock,
        },
      });
      await refundPayments(tx, payments, refundable, null);
      paymentStatus = 'REFUNDED';
    }
    for (const payment of payments.filter((candidate) => candidate.status === 'PENDING')) {
      await tx.payment.update({
        where: { storeId_id: { storeId: order.storeId, id: payment.id } },
        data: { status: 'VOIDED' },
      });
      await tx.paymentTransaction.create({
        data: {
          storeId: order.storeId,
          paymentId: payment.id,
          kind: 'VOID',
          status: 'SUCCESS',
          amount: payment.amount,
        },
      });
    }
    await adjustCustomerStats(tx, order, { orders: -1, spent: order.total.minus(order.totalRefunded).negated() });
    const cancelled = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: {
        status: 'CANCELLED',
        cancelReason: reason,
        cancelledAt: new Date(),
        paymentStatus,
        totalRefunded: order.totalRefunded.plus(Prisma.Decimal.max(refundable, 0)),
      },
    });
    const stock = restock ? 'reserved units back on sale' : 'reserved units written off';
    await appendOrderEvent(tx, order, 'CANCELLED', `Order #${order.number} cancelled: ${reason} (${stock}).`, actor, {
      restock,
    });
    if (refundable.greaterThan(0))
      await appendOrderEvent(
        tx,
        order,
        'REFUNDED',
        `Refunded ${formatAmount(refundable, order.currencyCode)}: order cancelled.`,
        actor,
      );
    await appendOutboxEvents(tx, [...inventoryEvents(order.storeId, changes), cancelledEvent]);
    // One mail tells of the cancellation and of the refund it made.
    await queueBuyerNotification(tx, {
      storeId: order.storeId,
      kind: 'ORDER_CANCELLED',
      to: order.email,
      data: { orderId: order.id },
    });
    return { order: cancelled, userErrors: [] };
  });
}

/** SHIPPED → DELIVERED (staff): every shipment is delivered. */
export function markOrderDelivered(context: SubgraphContext, input: OrderMarkDeliveredInput): Promise<OrderResult> {
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'deliver');
    if (refusal) return { order, userErrors: [refusal] };
    const now = new Date();
    await tx.fulfillment.updateMany({
      where: { storeId: order.storeId, orderId: order.id, deliveredAt: null },
      data: { status: 'DELIVERED', deliveredAt: now },
    });
    const delivered = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { status: 'DELIVERED', fulfillmentStatus: 'DELIVERED' },
    });
    await appendOrderEvent(tx, order, 'DELIVERED', `Order #${order.number} delivered.`, actor);
    return { order: delivered, userErrors: [] };
  });
}

/** Adds a staff note to the order (kept in Order.note, one per line) and its timeline. */
export function addOrderNote(context: SubgraphContext, input: OrderNoteAddInput): Promise<OrderResult> {
  const errors = new InputErrors<OrderErrorCode>().text(['input', 'note'], input.note, MAX_NOTE);
  if (!errors.ok) return Promise.resolve({ order: null, userErrors: errors.errors });
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const note = input.note.trim();
    const updated = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { note: order.note ? `${order.note}\n${note}` : note },
    });
    await appendOrderEvent(tx, order, 'NOTE_ADDED', note, actor);
    return { order: updated, userErrors: [] };
  });
}
