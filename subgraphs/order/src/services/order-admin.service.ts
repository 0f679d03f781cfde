import { Prisma, type Order, type Transaction } from '@commerce/database';
import { InputErrors } from '@commerce/graphql-kit';
import { appendOutboxEvents } from '@commerce/events';
import { inventoryEvents, releaseStock } from '@commerce/inventory';
import { queueBuyerNotification } from '@commerce/mail';
import { earnLoyaltyPoints, reverseLoyaltyPoints } from '@commerce/loyalty';
import type {
  OrderAcceptInput,
  OrderCancelInput,
  OrderConfirmInput,
  OrderErrorCode,
  OrderMarkDeliveredInput,
  OrderMarkPaidInput,
  OrderMarkReadyForPickupInput,
  OrderNoteAddInput,
  OrderRejectInput,
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
  voidOpenPayments,
  type OrderResult,
} from './order-change.js';
import { orderCancelledEvent, orderPaidEvent, paymentVoidedEvent } from './order-figures.js';
import { appendOrderEvent, stockActorType, type OrderActor, type OrderEventType } from './order-events.js';
import { checkTransition, nextStatus, paymentStatusAfter } from './order-status.js';

const MAX_REASON = 500;
const MAX_NOTE = 2_000;
const MAX_REFERENCE = 255;

/** PENDING → CONFIRMED (staff). */
export function confirmOrder(context: SubgraphContext, input: OrderConfirmInput): Promise<OrderResult> {
  return confirmAs(context, input.orderId, 'confirm');
}

/** PENDING → CONFIRMED (staff), told on the timeline as the store accepting the order. */
export function acceptOrder(context: SubgraphContext, input: OrderAcceptInput): Promise<OrderResult> {
  return confirmAs(context, input.orderId, 'accept');
}

function confirmAs(context: SubgraphContext, orderId: string, action: 'confirm' | 'accept'): Promise<OrderResult> {
  return changeOrder(context, orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, action);
    if (refusal) return { order, userErrors: [refusal] };
    const confirmed = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { status: nextStatus(order, action), confirmedAt: new Date() },
    });
    const [type, verb]: [OrderEventType, string] =
      action === 'accept' ? ['ACCEPTED', 'accepted'] : ['CONFIRMED', 'confirmed'];
    await appendOrderEvent(tx, order, type, `Order #${order.number} ${verb}.`, actor);
    return { order: confirmed, userErrors: [] };
  });
}

/** CONFIRMED or PROCESSING → READY_FOR_PICKUP (staff): packed and waiting for the buyer. */
export function markOrderReadyForPickup(
  context: SubgraphContext,
  input: OrderMarkReadyForPickupInput,
): Promise<OrderResult> {
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'markReadyForPickup');
    if (refusal) return { order, userErrors: [refusal] };
    const ready = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { status: nextStatus(order, 'markReadyForPickup') },
    });
    await appendOrderEvent(tx, order, 'READY_FOR_PICKUP', `Order #${order.number} is ready for pickup.`, actor);
    return { order: ready, userErrors: [] };
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
    // What is still owed: all of it, or the rest of a part-captured authorization.
    const owed = order.total.minus(totalPaid(payments));
    if (pending) {
      await tx.payment.update({
        where: { storeId_id: { storeId: order.storeId, id: pending.id } },
        data: {
          status: 'PAID',
          capturedAmount: pending.amount,
          providerReference: reference ?? pending.providerReference,
        },
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
          amount: owed,
          netAmount: owed,
          capturedAmount: owed,
          currencyCode: order.currencyCode,
          providerReference: reference,
          transactions: {
            create: { kind: 'CAPTURE', status: 'SUCCESS', amount: owed, providerReference: reference },
          },
        },
      });
    }
    // What a part-captured authorization still holds is not needed any more.
    await voidOpenPayments(
      tx,
      payments.filter((payment) => payment.status !== 'PENDING'),
    );
    const received = pending ? pending.amount : owed;
    const paid = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { paymentStatus: 'PAID' },
    });
    await appendOrderEvent(
      tx,
      order,
      'PAID',
      `Payment of ${formatAmount(received, order.currencyCode)} received${reference ? ` (reference ${reference})` : ''}.`,
      actor,
    );
    await earnLoyaltyPoints(tx, {
      storeId: order.storeId,
      customerId: order.customerId,
      orderId: order.id,
      // Points are earned on what the order is worth to the store, in its currency.
      amount: order.storeTotal ?? order.total,
    });
    await appendOutboxEvents(tx, [orderPaidEvent(order, totalPaid(payments).plus(received))]);
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
 * Cancels an order that has not shipped: staff (PENDING, CONFIRMED or READY_FOR_PICKUP), or the
 * customer who placed it while it is PENDING. Its committed units are released to sale (restock)
 * or written off, whatever was paid is refunded and whatever is held or awaited is voided.
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
    return {
      order: await cancelInTransaction(tx, order, actor, input.reason.trim(), restock, 'cancel'),
      userErrors: [],
    };
  });
}

/**
 * Rejects a new order (staff): it is cancelled as orderCancel would (stock released or written
 * off, payment refunded or voided), and the timeline says the store rejected it.
 */
export function rejectOrder(context: SubgraphContext, input: OrderRejectInput): Promise<OrderResult> {
  const errors = new InputErrors<OrderErrorCode>().text(['input', 'reason'], input.reason, MAX_REASON);
  if (!errors.ok) return Promise.resolve({ order: null, userErrors: errors.errors });
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'reject');
    if (refusal) return { order, userErrors: [refusal] };
    const rejected = await cancelInTransaction(tx, order, actor, input.reason.trim(), input.restock ?? true, 'reject');
    return { order: rejected, userErrors: [] };
  });
}

async function cancelInTransaction(
  tx: Transaction,
  order: Order,
  actor: OrderActor,
  reason: string,
  restock: boolean,
  action: 'cancel' | 'reject',
): Promise<Order> {
  const lines = await orderLinesOf(tx, order);
  const stockActor = { type: stockActorType(actor), id: actor.id, orderId: order.id };
  const changes = await releaseStock(
    tx,
    order.storeId,
    lines.flatMap((line) => (line.variantId ? [{ variantId: line.variantId, allocations: allocationsOf(line) }] : [])),
    stockActor,
    { restock },
  );
  await tx.orderLine.updateMany({ where: { storeId: order.storeId, orderId: order.id }, data: { allocations: [] } });

  // Built from the order as it stood, before this cancellation refunds what is left.
  const cancelledEvent = await orderCancelledEvent(tx, order, lines);
  const payments = await paymentsOf(tx, order);
  const captured = totalPaid(payments);
  const refundable = captured.minus(order.totalRefunded);
  if (refundable.greaterThan(0)) {
    await tx.refund.create({
      data: {
        storeId: order.storeId,
        orderId: order.id,
        amount: refundable,
        reason: `Order ${action === 'reject' ? 'rejected' : 'cancelled'}: ${reason}`,
        restock,
      },
    });
    await refundPayments(tx, payments, refundable, null);
  }
  const released = await voidOpenPayments(tx, payments);
  const totalRefunded = order.totalRefunded.plus(Prisma.Decimal.max(refundable, 0));
  // Money taken ends REFUNDED; an order that took none ends VOIDED, not PENDING.
  const paymentStatus = paymentStatusAfter(
    { total: order.total, captured, refunded: totalRefunded, held: new Prisma.Decimal(0) },
    'VOIDED',
  );
  const spent = (order.storeTotal ?? order.total).minus(order.storeTotalRefunded ?? order.totalRefunded);
  await adjustCustomerStats(tx, order, { orders: -1, spent: spent.negated() });
  // The points it earned go back, and those spent on it are given back.
  await reverseLoyaltyPoints(tx, {
    storeId: order.storeId,
    orderId: order.id,
    total: order.total,
    refundedInAll: order.total,
    cancelled: true,
  });
  const cancelled = await tx.order.update({
    where: { storeId_id: { storeId: order.storeId, id: order.id } },
    data: {
      status: nextStatus(order, action),
      cancelReason: reason,
      cancelledAt: new Date(),
      paymentStatus,
      totalRefunded,
    },
  });
  const stock = restock ? 'reserved units back on sale' : 'reserved units written off';
  const [type, verb]: [OrderEventType, string] =
    action === 'reject' ? ['REJECTED', 'rejected'] : ['CANCELLED', 'cancelled'];
  await appendOrderEvent(tx, order, type, `Order #${order.number} ${verb}: ${reason} (${stock}).`, actor, { restock });
  if (refundable.greaterThan(0))
    await appendOrderEvent(
      tx,
      order,
      'REFUNDED',
      `Refunded ${formatAmount(refundable, order.currencyCode)}: order ${verb}.`,
      actor,
    );
  if (released.greaterThan(0))
    await appendOrderEvent(
      tx,
      order,
      'PAYMENT_VOIDED',
      `Payment of ${formatAmount(released, order.currencyCode)} voided: order ${verb}.`,
      actor,
    );
  await appendOutboxEvents(tx, [
    ...inventoryEvents(order.storeId, changes),
    cancelledEvent,
    ...(released.greaterThan(0) ? [paymentVoidedEvent(order, released, 'CANCELLED')] : []),
  ]);
  // One mail tells of the cancellation (or rejection) and of the refund it made.
  await queueBuyerNotification(tx, {
    storeId: order.storeId,
    kind: 'ORDER_CANCELLED',
    to: order.email,
    data: { orderId: order.id },
  });
  return cancelled;
}

/**
 * SHIPPED → DELIVERED (staff): every shipment is delivered. A part-shipped (PROCESSING) order
 * too when the store allows it: its shipments are delivered; what did not ship stays committed
 * until it is refunded.
 */
export function markOrderDelivered(context: SubgraphContext, input: OrderMarkDeliveredInput): Promise<OrderResult> {
  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor) => {
    const store = await tx.store.findUniqueOrThrow({
      where: { id: order.storeId },
      select: { partialDeliveryEnabled: true },
    });
    const refusal = checkTransition(order, 'deliver', store);
    if (refusal) return { order, userErrors: [refusal] };
    const now = new Date();
    await tx.fulfillment.updateMany({
      where: { storeId: order.storeId, orderId: order.id, deliveredAt: null },
      data: { status: 'DELIVERED', deliveredAt: now },
    });
    const delivered = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      // A part-shipped order keeps saying that not everything shipped.
      data: {
        status: nextStatus(order, 'deliver'),
        fulfillmentStatus: order.fulfillmentStatus === 'FULFILLED' ? 'DELIVERED' : order.fulfillmentStatus,
      },
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
