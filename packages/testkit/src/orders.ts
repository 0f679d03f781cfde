import {
  inScope,
  Prisma,
  type FulfillmentStatus,
  type Order,
  type OrderStatus,
  type PaymentStatus,
  type PrismaClient,
} from '@commerce/database';
import {
  appendOutboxEvents,
  type OrderCancelledPayload,
  type OrderCreatedPayload,
  type OrderRefundedPayload,
  type OutboxEventInput,
} from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';
import { keyOf, unique, type TestStore } from './seed.js';

export interface OrderLineSeed {
  title: string;
  quantity: number;
  unitPrice: string;
  sku?: string | null;
  /** Global ids. */
  productId?: string;
  variantId?: string;
  /** Discount on the line (none unless given). */
  discountTotal?: string;
}

export interface OrderSeed {
  /** The store's next order number unless given (then the store's counter is left alone). */
  number?: number;
  email?: string;
  /** The buyer (global id and email); the email is the order's unless `email` is given. */
  customer?: { id: string; email: string };
  status?: OrderStatus;
  paymentStatus?: PaymentStatus;
  fulfillmentStatus?: FulfillmentStatus;
  subtotal?: string;
  total?: string;
  totalRefunded?: string;
  createdAt?: Date;
  shippingTotal?: string;
  taxTotal?: string;
  /** Paid in full by a TEST_CARD payment (so it can be refunded); paymentStatus PAID unless given. */
  paid?: boolean;
  /** One 'Widget' line at the total (or 10.00) unless given. */
  lines?: OrderLineSeed[];
}

/**
 * Inserts an order as checkout writes it, as the database owner, in one transaction: the order,
 * its lines and its events. The subtotal is the lines' sum and the total the subtotal less the
 * lines' discounts plus shipping and tax, unless given. For orders in states or at times checkout cannot make.
 */
export async function insertOrder(
  owner: PrismaClient,
  store: TestStore,
  seed: OrderSeed = {},
): Promise<{ id: string; number: string }> {
  const storeId = keyOf(store.id);
  const lines = seed.lines ?? [{ title: 'Widget', quantity: 1, unitPrice: seed.total ?? '10.00' }];
  const createdAt = seed.createdAt ?? new Date();
  const lineTotal = (line: OrderLineSeed) => new Prisma.Decimal(line.unitPrice).times(line.quantity);
  const subtotal =
    seed.subtotal ?? lines.reduce((sum, line) => sum.plus(lineTotal(line)), new Prisma.Decimal(0)).toFixed(2);
  const discountTotal = lines.reduce((sum, line) => sum.plus(line.discountTotal ?? 0), new Prisma.Decimal(0));
  const total =
    seed.total ??
    new Prisma.Decimal(subtotal)
      .minus(discountTotal)
      .plus(seed.shippingTotal ?? 0)
      .plus(seed.taxTotal ?? 0)
      .toFixed();
  // In the store's scope as the services write, so that the relays are woken once it commits.
  return inScope(owner, { storeId }, async (tx) => {
    const number =
      seed.number ??
      (await tx.storeCounter.update({ where: { storeId }, data: { lastOrderNumber: { increment: 1 } } }))
        .lastOrderNumber;
    const order = await tx.order.create({
      data: {
        storeId,
        number,
        customerId: seed.customer ? keyOf(seed.customer.id) : null,
        email: seed.email ?? seed.customer?.email ?? `${unique('guest')}@example.com`,
        status: seed.status,
        paymentStatus: seed.paymentStatus ?? (seed.paid ? 'PAID' : undefined),
        fulfillmentStatus: seed.fulfillmentStatus,
        currencyCode: store.currencyCode,
        subtotal,
        discountTotal,
        shippingTotal: seed.shippingTotal,
        taxTotal: seed.taxTotal,
        total,
        totalRefunded: seed.totalRefunded,
        createdAt,
        placedAt: createdAt,
        lines: {
          // A millisecond apart, so the lines keep the order they were given in.
          create: lines.map((line, index) => ({
            createdAt: new Date(createdAt.getTime() + index),
            title: line.title,
            variantTitle: 'Default',
            sku: line.sku ?? null,
            quantity: line.quantity,
            unitPrice: line.unitPrice,
            totalPrice: lineTotal(line),
            discountTotal: line.discountTotal,
            productId: line.productId ? keyOf(line.productId) : undefined,
            variantId: line.variantId ? keyOf(line.variantId) : undefined,
          })),
        },
      },
    });
    if (seed.paid) {
      await tx.payment.create({
        data: {
          storeId,
          orderId: order.id,
          provider: 'TEST_CARD',
          status: 'PAID',
          amount: order.total,
          netAmount: order.total,
          capturedAmount: order.total,
          currencyCode: order.currencyCode,
        },
      });
    }
    await appendOutboxEvents(tx, orderEvents(order, lines));
    return { id: toGlobalId('Order', order.id), number: `#${order.number}` };
  });
}

/**
 * The events checkout, refunds and cancellation would have appended for an order seeded in its
 * final state: order.created, then order.refunded for what it has refunded, then order.cancelled
 * when it is cancelled.
 */
function orderEvents(order: Order, lines: readonly OrderLineSeed[]): OutboxEventInput[] {
  const placedAt = order.placedAt.toISOString();
  const buyer = { customerId: order.customerId, email: order.email };
  const amounts = {
    subtotal: order.subtotal.toFixed(),
    discounts: order.discountTotal.toFixed(),
    shipping: order.shippingTotal.toFixed(),
    tax: order.taxTotal.toFixed(),
    total: order.total.toFixed(),
  };
  const figures = lines.map((line) => ({
    productId: line.productId ? keyOf(line.productId) : null,
    variantId: line.variantId ? keyOf(line.variantId) : null,
    quantity: line.quantity,
    netSales: new Prisma.Decimal(line.unitPrice)
      .times(line.quantity)
      .minus(line.discountTotal ?? 0)
      .toFixed(),
  }));
  const event = (type: OutboxEventInput['type'], payload: OutboxEventInput['payload']): OutboxEventInput => ({
    storeId: order.storeId,
    type,
    aggregateType: 'Order',
    aggregateId: order.id,
    payload,
  });
  const created: OrderCreatedPayload = {
    orderId: order.id,
    number: order.number,
    placedAt,
    currencyCode: order.currencyCode,
    ...buyer,
    ...amounts,
    lines: figures,
  };
  const events = [event('order.created', created)];
  if (order.totalRefunded.greaterThan(0)) {
    const refunded: OrderRefundedPayload = {
      orderId: order.id,
      refundId: order.id,
      placedAt,
      ...buyer,
      amount: order.totalRefunded.toFixed(),
      lines: [],
    };
    events.push(event('order.refunded', refunded));
  }
  if (order.status === 'CANCELLED') {
    const cancelled: OrderCancelledPayload = {
      orderId: order.id,
      placedAt,
      ...buyer,
      ...amounts,
      refunded: order.totalRefunded.toFixed(),
      lines: figures,
    };
    events.push(event('order.cancelled', cancelled));
  }
  return events;
}
