// The order events read models count by (packages/events/src/order-payloads.ts): a refund and a
// cancellation, built from the rows the changing transaction holds; and the payment events.
import { roundToMinorUnits } from '@commerce/currency';
import { storeLineShare } from './store-amounts.js';
import { Prisma, type Order, type OrderLine, type Transaction } from '@commerce/database';
import type {
  OrderCancelledPayload,
  OrderFulfilledPayload,
  OrderPaidPayload,
  OrderPaymentCapturedPayload,
  OrderPaymentVoidedPayload,
  OrderRefundedPayload,
  OutboxEventInput,
} from '@commerce/events';

type Decimal = Prisma.Decimal;

/** `order.refunded` of a refund of `amount`, by line when `lines` has any. */
export function orderRefundedEvent(
  order: Order,
  refundId: string,
  amount: Decimal,
  lines: readonly { line: OrderLine; quantity: number; amount: Decimal }[],
  returnId: string | null = null,
  storeAmount: Decimal | null = null,
): OutboxEventInput {
  // Read models count in the store's currency: a refund of an order in another gives its store amount, lines in proportion.
  const inStore = (part: Decimal) =>
    storeAmount === null || amount.isZero() ? part : storeLineShare(part, amount, storeAmount, order);
  const payload: OrderRefundedPayload = {
    orderId: order.id,
    refundId,
    ...(returnId ? { returnId } : {}),
    placedAt: order.placedAt.toISOString(),
    customerId: order.customerId,
    email: order.email,
    amount: (storeAmount ?? amount).toFixed(),
    lines: lines.map((entry) => ({
      productId: entry.line.productId,
      variantId: entry.line.variantId,
      quantity: entry.quantity,
      amount: inStore(entry.amount).toFixed(),
    })),
  };
  return {
    storeId: order.storeId,
    type: 'order.refunded',
    aggregateType: 'Order',
    aggregateId: order.id,
    payload,
  };
}

/**
 * `order.cancelled` of an order as it stood just before (what it still counted for: its lines'
 * units and net sales after their refunds, and what had been refunded). One statement reads the
 * lines' refunded amounts.
 */
export async function orderCancelledEvent(
  tx: Transaction,
  order: Order,
  lines: readonly OrderLine[],
): Promise<OutboxEventInput> {
  const refunded = await tx.refundLine.groupBy({
    by: ['orderLineId'],
    where: { storeId: order.storeId, orderLineId: { in: lines.map((line) => line.id) } },
    _sum: { amount: true },
  });
  const refundedOf = (line: OrderLine): Decimal =>
    refunded.find((entry) => entry.orderLineId === line.id)?._sum.amount ?? new Prisma.Decimal(0);
  // Read models count in the store's currency: an order in another gives its store amounts (store-amounts.ts).
  const rate = order.exchangeRate;
  const lineNetSales = (line: OrderLine): Decimal =>
    rate === null || line.storeTotalPrice === null
      ? line.totalPrice.minus(line.discountTotal).minus(refundedOf(line))
      : line.storeTotalPrice
          .minus(line.storeDiscountTotal ?? 0)
          .minus(roundToMinorUnits(refundedOf(line).dividedBy(rate), order.storeCurrencyCode ?? order.currencyCode));
  const payload: OrderCancelledPayload = {
    orderId: order.id,
    placedAt: order.placedAt.toISOString(),
    customerId: order.customerId,
    email: order.email,
    subtotal: (order.storeSubtotal ?? order.subtotal).toFixed(),
    discounts: (order.storeDiscountTotal ?? order.discountTotal).toFixed(),
    shipping: (order.storeShippingTotal ?? order.shippingTotal).toFixed(),
    tax: (order.storeTaxTotal ?? order.taxTotal).toFixed(),
    total: (order.storeTotal ?? order.total).toFixed(),
    refunded: (order.storeTotalRefunded ?? order.totalRefunded).toFixed(),
    lines: lines.map((line) => ({
      productId: line.productId,
      variantId: line.variantId,
      quantity: line.quantity - line.refundedQuantity,
      netSales: lineNetSales(line).toFixed(),
    })),
  };
  return {
    storeId: order.storeId,
    type: 'order.cancelled',
    aggregateType: 'Order',
    aggregateId: order.id,
    payload,
  };
}

/** `order.payment_captured` of a capture of `amount`, after which the order's payments have captured `captured`. */
export function paymentCapturedEvent(
  order: Order,
  transactionId: string,
  amount: Decimal,
  captured: Decimal,
): OutboxEventInput {
  const payload: OrderPaymentCapturedPayload = {
    orderId: order.id,
    transactionId,
    amount: amount.toFixed(),
    captured: captured.toFixed(),
    currencyCode: order.currencyCode,
  };
  return {
    storeId: order.storeId,
    type: 'order.payment_captured',
    aggregateType: 'Order',
    aggregateId: order.id,
    payload,
  };
}

/** `order.paid` of an order paid in full after it was placed, `amount` in all. */
export function orderPaidEvent(order: Order, amount: Decimal): OutboxEventInput {
  const payload: OrderPaidPayload = { orderId: order.id, amount: amount.toFixed(), currencyCode: order.currencyCode };
  return { storeId: order.storeId, type: 'order.paid', aggregateType: 'Order', aggregateId: order.id, payload };
}

/** `order.fulfilled` of the shipment that completed the order. */
export function orderFulfilledEvent(order: Order, fulfillmentId: string): OutboxEventInput {
  const payload: OrderFulfilledPayload = { orderId: order.id, fulfillmentId };
  return { storeId: order.storeId, type: 'order.fulfilled', aggregateType: 'Order', aggregateId: order.id, payload };
}

/** `order.payment_voided` of `amount` released. */
export function paymentVoidedEvent(
  order: Order,
  amount: Decimal,
  reason: OrderPaymentVoidedPayload['reason'],
): OutboxEventInput {
  const payload: OrderPaymentVoidedPayload = {
    orderId: order.id,
    amount: amount.toFixed(),
    currencyCode: order.currencyCode,
    reason,
  };
  return {
    storeId: order.storeId,
    type: 'order.payment_voided',
    aggregateType: 'Order',
    aggregateId: order.id,
    payload,
  };
}
