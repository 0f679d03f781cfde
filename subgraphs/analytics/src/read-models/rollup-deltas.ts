// What a batch of a store's events changes in its rollups, summed per row before anything is
// written: one statement per rollup table then applies the batch, however many events it has.
import { Prisma } from '@commerce/database';
import {
  buyerKey,
  type OrderBuyer,
  type OrderCancelledPayload,
  type OrderCreatedPayload,
  type OrderEditedPayload,
  type OrderRefundedPayload,
  type StoreEvent,
} from '@commerce/events';
import { localDay } from './local-day.js';

type Decimal = Prisma.Decimal;
const zero = (): Decimal => new Prisma.Decimal(0);

/** Changes to a store's day. */
export interface DayDelta {
  grossSales: Decimal;
  discounts: Decimal;
  refunds: Decimal;
  shipping: Decimal;
  tax: Decimal;
  total: Decimal;
  ordersCount: number;
  ordersPlaced: number;
  cartsCreated: number;
  checkoutsFailed: number;
}

/** Changes to a product's day. */
export interface ProductDayDelta {
  day: string;
  productId: string;
  units: number;
  netSales: Decimal;
  ordersCount: number;
}

/** Changes to a buyer: the orders' instants widen first/last order, never narrow them. */
export interface BuyerDelta {
  buyerKey: string;
  customerId: string | null;
  firstOrderAt: Date;
  lastOrderAt: Date;
  ordersCount: number;
  netSales: Decimal;
}

/** Changes to a buyer's day. */
export interface BuyerDayDelta {
  day: string;
  buyerKey: string;
  ordersCount: number;
}

export interface RollupDeltas {
  days: Map<string, DayDelta>;
  productDays: Map<string, ProductDayDelta>;
  buyers: Map<string, BuyerDelta>;
  buyerDays: Map<string, BuyerDayDelta>;
}

/** An event whose payload lacks what the rollups need (written before they existed): rebuild the store. */
export class UnreadableEvent extends Error {
  constructor(readonly event: StoreEvent) {
    super(`event ${event.sequence} (${event.type}) of store ${event.storeId} lacks the figures analytics needs`);
  }
}

export function emptyDeltas(): RollupDeltas {
  return { days: new Map(), productDays: new Map(), buyers: new Map(), buyerDays: new Map() };
}

function day(deltas: RollupDeltas, key: string): DayDelta {
  let delta = deltas.days.get(key);
  if (!delta) {
    delta = {
      grossSales: zero(),
      discounts: zero(),
      refunds: zero(),
      shipping: zero(),
      tax: zero(),
      total: zero(),
      ordersCount: 0,
      ordersPlaced: 0,
      cartsCreated: 0,
      checkoutsFailed: 0,
    };
    deltas.days.set(key, delta);
  }
  return delta;
}

function productDay(deltas: RollupDeltas, dayKey: string, productId: string): ProductDayDelta {
  const key = `${dayKey}|${productId}`;
  let delta = deltas.productDays.get(key);
  if (!delta) {
    delta = { day: dayKey, productId, units: 0, netSales: zero(), ordersCount: 0 };
    deltas.productDays.set(key, delta);
  }
  return delta;
}

function buyer(deltas: RollupDeltas, of: OrderBuyer, placedAt: Date): BuyerDelta {
  const key = buyerKey(of);
  let delta = deltas.buyers.get(key);
  if (!delta) {
    delta = {
      buyerKey: key,
      customerId: of.customerId,
      firstOrderAt: placedAt,
      lastOrderAt: placedAt,
      ordersCount: 0,
      netSales: zero(),
    };
    deltas.buyers.set(key, delta);
  }
  if (placedAt < delta.firstOrderAt) delta.firstOrderAt = placedAt;
  if (placedAt > delta.lastOrderAt) delta.lastOrderAt = placedAt;
  return delta;
}

function buyerDay(deltas: RollupDeltas, dayKey: string, of: OrderBuyer, change: number): void {
  const key = buyerKey(of);
  const mapKey = `${dayKey}|${key}`;
  const delta = deltas.buyerDays.get(mapKey) ?? { day: dayKey, buyerKey: key, ordersCount: 0 };
  delta.ordersCount += change;
  deltas.buyerDays.set(mapKey, delta);
}

const decimal = (value: string): Decimal => new Prisma.Decimal(value);

function placedAtOf(event: StoreEvent, payload: { placedAt?: unknown; email?: unknown }): Date {
  if (typeof payload.placedAt !== 'string' || typeof payload.email !== 'string') throw new UnreadableEvent(event);
  return new Date(payload.placedAt);
}

/** Each product once per order, for the orders count of its day. */
function productsOf(lines: readonly { productId: string | null }[]): string[] {
  return [...new Set(lines.flatMap((line) => (line.productId ? [line.productId] : [])))];
}

function addOrder(deltas: RollupDeltas, event: StoreEvent, order: OrderCreatedPayload, timeZone: string): void {
  const placedAt = placedAtOf(event, order);
  if (!Array.isArray(order.lines)) throw new UnreadableEvent(event);
  const key = localDay(placedAt, timeZone);
  const figures = day(deltas, key);
  figures.grossSales = figures.grossSales.plus(order.subtotal);
  figures.discounts = figures.discounts.plus(order.discounts);
  figures.shipping = figures.shipping.plus(order.shipping);
  figures.tax = figures.tax.plus(order.tax);
  figures.total = figures.total.plus(order.total);
  figures.ordersCount += 1;
  figures.ordersPlaced += 1;
  for (const line of order.lines) {
    if (!line.productId) continue;
    const product = productDay(deltas, key, line.productId);
    product.units += line.quantity;
    product.netSales = product.netSales.plus(line.netSales);
  }
  for (const productId of productsOf(order.lines)) productDay(deltas, key, productId).ordersCount += 1;
  const who = buyer(deltas, order, placedAt);
  who.ordersCount += 1;
  who.netSales = who.netSales.plus(decimal(order.subtotal).minus(order.discounts));
  buyerDay(deltas, key, order, 1);
}

function addRefund(deltas: RollupDeltas, event: StoreEvent, refund: OrderRefundedPayload, timeZone: string): void {
  const placedAt = placedAtOf(event, refund);
  const key = localDay(placedAt, timeZone);
  const figures = day(deltas, key);
  figures.refunds = figures.refunds.plus(refund.amount);
  for (const line of refund.lines ?? []) {
    if (!line.productId) continue;
    const product = productDay(deltas, key, line.productId);
    product.units -= line.quantity;
    product.netSales = product.netSales.minus(line.amount);
  }
  const who = buyer(deltas, refund, placedAt);
  who.netSales = who.netSales.minus(refund.amount);
}

function removeOrder(deltas: RollupDeltas, event: StoreEvent, order: OrderCancelledPayload, timeZone: string): void {
  const placedAt = placedAtOf(event, order);
  if (!Array.isArray(order.lines)) throw new UnreadableEvent(event);
  const key = localDay(placedAt, timeZone);
  const figures = day(deltas, key);
  figures.grossSales = figures.grossSales.minus(order.subtotal);
  figures.discounts = figures.discounts.minus(order.discounts);
  figures.shipping = figures.shipping.minus(order.shipping);
  figures.tax = figures.tax.minus(order.tax);
  figures.total = figures.total.minus(order.total);
  figures.refunds = figures.refunds.minus(order.refunded);
  figures.ordersCount -= 1;
  for (const line of order.lines) {
    if (!line.productId) continue;
    const product = productDay(deltas, key, line.productId);
    product.units -= line.quantity;
    product.netSales = product.netSales.minus(line.netSales);
  }
  for (const productId of productsOf(order.lines)) productDay(deltas, key, productId).ordersCount -= 1;
  const who = buyer(deltas, order, placedAt);
  who.ordersCount -= 1;
  who.netSales = who.netSales.minus(decimal(order.subtotal).minus(order.discounts).minus(order.refunded));
  buyerDay(deltas, key, order, -1);
}

/**
 * An edit of an order counts as the difference of its figures after and before, on the day it was
 * placed: the order stays one order; a product it gained or lost counts it once more or once less.
 */
function editOrder(deltas: RollupDeltas, event: StoreEvent, edit: OrderEditedPayload, timeZone: string): void {
  const placedAt = placedAtOf(event, edit);
  if (!Array.isArray(edit.before?.lines) || !Array.isArray(edit.after?.lines)) throw new UnreadableEvent(event);
  const key = localDay(placedAt, timeZone);
  const figures = day(deltas, key);
  const { before, after } = edit;
  figures.grossSales = figures.grossSales.plus(after.subtotal).minus(before.subtotal);
  figures.discounts = figures.discounts.plus(after.discounts).minus(before.discounts);
  figures.shipping = figures.shipping.plus(after.shipping).minus(before.shipping);
  figures.tax = figures.tax.plus(after.tax).minus(before.tax);
  figures.total = figures.total.plus(after.total).minus(before.total);
  for (const [lines, sign] of [
    [before.lines, -1],
    [after.lines, 1],
  ] as const) {
    for (const line of lines) {
      if (!line.productId) continue;
      const product = productDay(deltas, key, line.productId);
      product.units += sign * line.quantity;
      product.netSales = sign > 0 ? product.netSales.plus(line.netSales) : product.netSales.minus(line.netSales);
    }
  }
  const had = new Set(productsOf(before.lines));
  const has = new Set(productsOf(after.lines));
  for (const productId of has) if (!had.has(productId)) productDay(deltas, key, productId).ordersCount += 1;
  for (const productId of had) if (!has.has(productId)) productDay(deltas, key, productId).ordersCount -= 1;
  const who = buyer(deltas, edit, placedAt);
  who.netSales = who.netSales
    .plus(decimal(after.subtotal).minus(after.discounts))
    .minus(decimal(before.subtotal).minus(before.discounts));
}

/** Adds one event's changes (events of other types change nothing). */
export function addEvent(deltas: RollupDeltas, event: StoreEvent, timeZone: string): void {
  switch (event.type) {
    case 'order.created':
      addOrder(deltas, event, event.payload as OrderCreatedPayload, timeZone);
      return;
    case 'order.refunded':
      addRefund(deltas, event, event.payload as OrderRefundedPayload, timeZone);
      return;
    case 'order.cancelled':
      removeOrder(deltas, event, event.payload as OrderCancelledPayload, timeZone);
      return;
    case 'order.edited':
      editOrder(deltas, event, event.payload as OrderEditedPayload, timeZone);
      return;
    case 'cart.created':
      day(deltas, localDay(event.createdAt, timeZone)).cartsCreated += 1;
      return;
    case 'checkout.attempted':
      day(deltas, localDay(event.createdAt, timeZone)).checkoutsFailed += 1;
      return;
    default:
      return;
  }
}
