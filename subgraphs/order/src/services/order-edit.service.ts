// orderEdit: staff change the lines of an open order in one transaction, with the order row locked
// (changeOrder), so an edit and a fulfilment or another edit of the same order take turns and
// never ship or reserve the same units twice. Only units still to ship change: a line never goes
// below what was shipped or refunded. Stock follows (added units are reserved as checkout reserves
// them, removed ones released), the order is re-priced with checkout's pricing, and the payment
// status and what is still owed follow from the new total. Once per idempotency key of the order:
// the key is kept on the ORDER_EDITED timeline entry, which a retry finds under the same row lock.
import { createHash } from 'node:crypto';
import { Prisma, selectRead, type Order, type OrderLine, type Transaction } from '@commerce/database';
import { appendOutboxEvents, type OrderEditedPayload, type OrderFigures } from '@commerce/events';
import { InputErrors, keyOrNull, minorUnits, toGlobalId, userError, type UserError } from '@commerce/graphql-kit';
import {
  allocationsJson,
  inventoryEvents,
  lockStock,
  releaseStock,
  reserveStock,
  takeFromAllocations,
  type LevelChange,
  type LocationQuantity,
} from '@commerce/inventory';
import type { OrderEditInput, OrderErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { addressOf } from './address.js';
import { placedOrderTerms, quoteInputs, type VariantSnapshot } from './cart-quote.js';
import {
  adjustCustomerStats,
  allocationsOf,
  changeOrder,
  formatAmount,
  orderLinesOf,
  paymentsOf,
  totalHeld,
  totalPaid,
  type OrderResult,
} from './order-change.js';
import { appendOrderEvent, stockActorType, type OrderActor } from './order-events.js';
import { checkTransition, paymentStatusAfter } from './order-status.js';
import { commissionOf, priceCart } from './pricing.js';

type Decimal = Prisma.Decimal;
type EditError = UserError<OrderErrorCode>;

const MAX_KEY_LENGTH = 255;
const MAX_QUANTITY = 1_000_000;

/** A variant to add, as validated. */
interface AddRequest {
  variantId: string;
  quantity: number;
  price: Decimal | null;
  index: number;
}

/** Refuses the edit from inside its transaction: everything done so far rolls back. */
class EditRefusal extends Error {
  constructor(readonly userErrors: EditError[]) {
    super('order edit refused');
  }
}

/** Units of a line that have left the order's stock: shipped or refunded. */
function settledUnits(line: Pick<OrderLine, 'fulfilledQuantity' | 'refundedQuantity'>): number {
  return line.fulfilledQuantity + line.refundedQuantity;
}

function quantityProblem(quantity: number, least: number): string | null {
  if (!Number.isSafeInteger(quantity) || quantity < least || quantity > MAX_QUANTITY)
    return `Give a whole number of units from ${least} to ${MAX_QUANTITY}.`;
  return null;
}

/** The request, as a retry with the same key must repeat it. */
function fingerprintOf(input: OrderEditInput): string {
  const canonical = JSON.stringify({
    orderId: input.orderId,
    addLines: (input.addLines ?? []).map((line) => [line.variantId, line.quantity, line.price ?? null]),
    updateLines: (input.updateLines ?? []).map((line) => [line.orderLineId, line.quantity]),
    removeLineIds: input.removeLineIds ?? [],
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Applies an edit of an order's lines (staff with MANAGE_ORDERS): variants added (at today's
 * price, or the price given), quantities changed, lines removed, units still to ship only. See the
 * top of this file.
 */
export async function editOrder(
  context: SubgraphContext,
  input: OrderEditInput,
  idempotencyKey: string,
): Promise<OrderResult> {
  const errors = new InputErrors<OrderErrorCode>();
  const key = idempotencyKey.trim();
  if (!key) errors.add(['idempotencyKey'], 'Give a key that identifies this edit, and repeat it on retries.', 'BLANK');
  else if (key.length > MAX_KEY_LENGTH)
    errors.add(['idempotencyKey'], `Use at most ${MAX_KEY_LENGTH} characters.`, 'TOO_LONG');

  const adds: AddRequest[] = (input.addLines ?? []).map((line, index) => {
    const field = ['input', 'addLines', String(index)];
    const variantId = keyOrNull(line.variantId, 'ProductVariant');
    if (!variantId) errors.add([...field, 'variantId'], 'There is no such variant in this store.', 'NOT_FOUND');
    const problem = quantityProblem(line.quantity, 1);
    if (problem) errors.add([...field, 'quantity'], problem, 'INVALID');
    let price: Decimal | null = null;
    if (line.price != null) {
      try {
        price = new Prisma.Decimal(line.price);
      } catch {
        errors.add([...field, 'price'], 'Give the price as a decimal number.', 'INVALID');
      }
      if (price?.isNegative()) errors.add([...field, 'price'], 'A price cannot be below zero.', 'NEGATIVE');
    }
    return { variantId: variantId ?? '', quantity: line.quantity, price, index };
  });
  const quantities = new Map<string, { quantity: number; field: string[] }>();
  (input.updateLines ?? []).forEach((line, index) => {
    const field = ['input', 'updateLines', String(index)];
    const lineId = keyOrNull(line.orderLineId, 'OrderLine');
    if (!lineId) errors.add([...field, 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND');
    const problem = quantityProblem(line.quantity, 0);
    if (problem) errors.add([...field, 'quantity'], problem, 'INVALID');
    if (lineId && quantities.has(lineId))
      errors.add([...field, 'orderLineId'], 'Change each line once per edit.', 'INVALID');
    if (lineId) quantities.set(lineId, { quantity: line.quantity, field });
  });
  const removals = new Map<string, string[]>();
  (input.removeLineIds ?? []).forEach((id, index) => {
    const field = ['input', 'removeLineIds', String(index)];
    const lineId = keyOrNull(id, 'OrderLine');
    if (!lineId) errors.add(field, 'There is no such line in this order.', 'NOT_FOUND');
    else if (quantities.has(lineId) || removals.has(lineId))
      errors.add(field, 'Change or remove each line once per edit.', 'INVALID');
    else removals.set(lineId, field);
  });
  if (adds.length === 0 && quantities.size === 0 && removals.size === 0 && errors.ok)
    errors.add(['input'], 'Give lines to add, change or remove.', 'BLANK');
  if (!errors.ok) return { order: null, userErrors: errors.errors };

  const fingerprint = fingerprintOf(input);
  try {
    return await changeOrder(context, input.orderId, 'staff', async (tx, order, actor): Promise<OrderResult> => {
      // Keys belong to the order: the lookup stays on the order's own timeline (indexed).
      const earlier = await tx.orderEvent.findFirst({
        where: {
          storeId: order.storeId,
          orderId: order.id,
          type: 'ORDER_EDITED',
          data: { path: ['idempotencyKey'], equals: key },
        },
      });
      if (earlier) {
        const data = earlier.data as { fingerprint?: unknown };
        if (data.fingerprint === fingerprint) return { order, userErrors: [] };
        return {
          order: null,
          userErrors: [
            userError(
              ['idempotencyKey'],
              'This key was used for another edit; use a new key.',
              'IDEMPOTENCY_KEY_REUSED',
            ),
          ],
        };
      }
      const refusal = checkTransition(order, 'edit');
      if (refusal) return { order, userErrors: [refusal] };
      // Re-pricing in a presentment currency would need the rate of the day the order was placed.
      if (order.storeCurrencyCode !== null)
        return {
          order,
          userErrors: [
            userError(
              ['input', 'orderId'],
              `This order was placed in ${order.currencyCode}, not the store's currency; it cannot be edited: refund or cancel it instead.`,
              'INVALID',
            ),
          ],
        };
      return applyEdit(tx, order, actor, {
        adds,
        quantities,
        removals,
        key,
        fingerprint,
        commissionRate: context.settings.platformCommissionRate,
      });
    });
  } catch (error) {
    if (error instanceof EditRefusal) return { order: null, userErrors: error.userErrors };
    throw error;
  }
}

interface EditPlan {
  adds: AddRequest[];
  quantities: Map<string, { quantity: number; field: string[] }>;
  removals: Map<string, string[]>;
  key: string;
  fingerprint: string;
  /** The platform's share of a payment, for a pending payment whose amount follows the total. */
  commissionRate: Decimal;
}

/** A line of the order after the edit: an existing one (maybe with a new quantity) or a new one. */
interface LineAfter {
  existing: OrderLine | null;
  variant: VariantSnapshot | null;
  variantId: string | null;
  productId: string | null;
  title: string;
  unitPrice: Decimal;
  quantity: number;
  allocations: LocationQuantity[];
}

async function applyEdit(tx: Transaction, order: Order, actor: OrderActor, plan: EditPlan): Promise<OrderResult> {
  const lines = await orderLinesOf(tx, order);
  const problems: EditError[] = [];
  const newQuantity = new Map<string, number>();
  for (const [lineId, { quantity, field }] of plan.quantities) {
    const line = lines.find((candidate) => candidate.id === lineId);
    if (!line) {
      problems.push(userError([...field, 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND'));
      continue;
    }
    if (quantity < settledUnits(line))
      problems.push(
        userError(
          [...field, 'quantity'],
          `${settledUnits(line)} of "${line.title}" have shipped or been refunded; the quantity cannot go below that.`,
          'TOO_MANY',
        ),
      );
    else if (quantity > line.quantity && !line.variantId)
      problems.push(
        userError([...field, 'quantity'], `"${line.title}" is no longer sold; add a current variant.`, 'INVALID'),
      );
    else newQuantity.set(line.id, quantity);
  }
  for (const [lineId, field] of plan.removals) {
    const line = lines.find((candidate) => candidate.id === lineId);
    if (!line) problems.push(userError(field, 'There is no such line in this order.', 'NOT_FOUND'));
    else if (line.quantity === settledUnits(line))
      problems.push(userError(field, `Every unit of "${line.title}" has shipped or been refunded.`, 'TOO_MANY'));
    else newQuantity.set(line.id, settledUnits(line));
  }

  // New lines read the variants as checkout does, with the order's codes and address for re-pricing.
  const inputs = await selectRead(
    tx,
    quoteInputs(
      order.storeId,
      plan.adds.map((add) => add.variantId),
      {
        codes: order.discountCodes,
        address: addressOf(order.shippingAddress),
        buyer: { customerId: order.customerId, email: order.email },
        withAvailability: false,
      },
    ),
  );
  const digits = minorUnits(order.currencyCode);
  const reserving = new Map<string, number>();
  // Where a shortage of a variant is reported: its first line in the input that asks for units.
  const askedAt = new Map<string, string[]>();
  for (const add of plan.adds) {
    const field = ['input', 'addLines', String(add.index)];
    const variant = inputs.variants.get(add.variantId);
    if (!variant?.purchasable) {
      problems.push(
        userError([...field, 'variantId'], 'There is no such variant for sale in this store.', 'NOT_FOUND'),
      );
      continue;
    }
    if (add.price && add.price.decimalPlaces() > digits)
      problems.push(
        userError(
          [...field, 'price'],
          `Use at most ${digits} decimal places for ${order.currencyCode}.`,
          'TOO_PRECISE',
        ),
      );
    reserving.set(add.variantId, (reserving.get(add.variantId) ?? 0) + add.quantity);
    if (!askedAt.has(add.variantId)) askedAt.set(add.variantId, [...field, 'quantity']);
  }
  if (problems.length > 0) throw new EditRefusal(problems);

  // Units to reserve (added lines, raised quantities) and to release (lowered ones, removed lines).
  const released: { variantId: string; allocations: LocationQuantity[] }[] = [];
  const keptAllocations = new Map<string, LocationQuantity[]>();
  for (const line of lines) {
    const quantity = newQuantity.get(line.id);
    if (quantity === undefined || !line.variantId) continue;
    if (quantity > line.quantity) {
      reserving.set(line.variantId, (reserving.get(line.variantId) ?? 0) + quantity - line.quantity);
      const field = plan.quantities.get(line.id)?.field;
      if (field) askedAt.set(line.variantId, [...field, 'quantity']);
    }
    if (quantity < line.quantity) {
      const split = takeFromAllocations(allocationsOf(line), line.quantity - quantity);
      released.push({ variantId: line.variantId, allocations: split.taken });
      keptAllocations.set(line.id, split.rest);
    }
  }
  const stockActor = { type: stockActorType(actor), id: actor.id, orderId: order.id };
  // Reserving and releasing both lock levels: take every lock first, in the one order all writers use.
  await lockStock(tx, order.storeId, [...reserving.keys(), ...released.map((entry) => entry.variantId)]);
  const reservation = await reserveStock(
    tx,
    order.storeId,
    [...reserving].map(([variantId, quantity]) => ({ variantId, quantity })),
    stockActor,
  );
  if (!reservation.ok) {
    throw new EditRefusal(
      reservation.shortages.map((shortage) =>
        userError(
          askedAt.get(shortage.variantId) ?? ['input'],
          `Only ${shortage.available} more units of variant ${toGlobalId('ProductVariant', shortage.variantId)} are left to sell; ${shortage.requested} were asked for.`,
          'OUT_OF_STOCK',
        ),
      ),
    );
  }
  const changes: LevelChange[] = [...reservation.changes];
  changes.push(...(await releaseStock(tx, order.storeId, released, stockActor, { restock: true })));
  // A variant's new units are spread over its raised line and new lines in that order.
  const fresh = new Map(reservation.lines.map((line) => [line.variantId, [...line.allocations]]));
  const takeFresh = (variantId: string, quantity: number): LocationQuantity[] => {
    const split = takeFromAllocations(fresh.get(variantId) ?? [], quantity);
    fresh.set(variantId, split.rest);
    return split.taken;
  };

  const after: LineAfter[] = [];
  for (const line of lines) {
    const quantity = newQuantity.get(line.id) ?? line.quantity;
    let allocations = keptAllocations.get(line.id) ?? allocationsOf(line);
    if (quantity > line.quantity && line.variantId)
      allocations = mergeAllocations(allocations, takeFresh(line.variantId, quantity - line.quantity));
    after.push({
      existing: line,
      variant: null,
      variantId: line.variantId,
      productId: line.productId,
      title: line.title,
      unitPrice: line.unitPrice,
      quantity,
      allocations,
    });
  }
  for (const add of plan.adds) {
    const variant = inputs.variants.get(add.variantId) as VariantSnapshot;
    after.push({
      existing: null,
      variant,
      variantId: variant.id,
      productId: variant.productId,
      title: variant.title,
      unitPrice: add.price ?? variant.price,
      quantity: add.quantity,
      allocations: takeFresh(variant.id, add.quantity),
    });
  }

  // Re-priced as checkout prices: the order's discount and its address's tax; shipping stays as charged.
  const kept = after.filter((line) => line.quantity > 0 || (line.existing && settledUnits(line.existing) > 0));
  const { discount, taxRate } = placedOrderTerms(inputs);
  // A line without a variant that carried no tax is a custom line tax does not apply to (the
  // pricing's `taxable`); a line whose product was deleted since keeps being taxed.
  const pricingLines = kept.map((line) => ({
    unitPrice: line.unitPrice,
    quantity: line.quantity,
    taxable: line.variantId !== null || !(line.existing?.taxTotal.isZero() ?? false),
  }));
  const priced = priceCart({
    currencyCode: order.currencyCode,
    lines: pricingLines,
    discount,
    shipping: order.shippingTotal,
    freeShipping: false,
    tax: taxRate,
  });
  const before = figuresOf(order, lines);
  for (const line of after) {
    if (line.existing && !kept.includes(line)) {
      await tx.orderLine.delete({ where: { storeId_id: { storeId: order.storeId, id: line.existing.id } } });
    }
  }
  const written: OrderLine[] = [];
  for (const [index, line] of kept.entries()) {
    const price = priced.lines[index];
    if (!price) throw new Error('Pricing returned fewer lines than it was given.');
    const figures = {
      quantity: line.quantity,
      totalPrice: price.subtotal,
      discountTotal: price.discount,
      taxTotal: price.tax,
      allocations: allocationsJson(line.allocations),
    };
    if (line.existing) {
      written.push(
        await tx.orderLine.update({
          where: { storeId_id: { storeId: order.storeId, id: line.existing.id } },
          data: figures,
        }),
      );
    } else if (line.variant) {
      written.push(
        await tx.orderLine.create({
          data: {
            storeId: order.storeId,
            orderId: order.id,
            variantId: line.variant.id,
            productId: line.variant.productId,
            title: line.variant.title,
            variantTitle: line.variant.variantTitle,
            sku: line.variant.sku,
            imageUrl: line.variant.imageUrl,
            selectedOptions: (line.variant.selectedOptions ?? []) as Prisma.InputJsonValue,
            unitPrice: line.unitPrice,
            ...figures,
          },
        }),
      );
    }
  }

  const payments = await paymentsOf(tx, order);
  // A payment still awaited (bank transfer, cash on delivery) is for the new total: recording it
  // paid later takes what is owed now.
  const pending = payments.find((payment) => payment.status === 'PENDING');
  if (pending) {
    const amount = Prisma.Decimal.max(0, pending.amount.plus(priced.total).minus(order.total));
    const commissionAmount = commissionOf(amount, plan.commissionRate, order.currencyCode);
    await tx.payment.update({
      where: { storeId_id: { storeId: order.storeId, id: pending.id } },
      data: { amount, commissionAmount, netAmount: amount.minus(commissionAmount) },
    });
  }
  const updated = await tx.order.update({
    where: { storeId_id: { storeId: order.storeId, id: order.id } },
    data: {
      subtotal: priced.subtotal,
      discountTotal: priced.discounts,
      taxTotal: priced.tax,
      total: priced.total,
      taxesIncluded: priced.taxesIncluded,
      // A paid order whose total grew owes the rest: PARTIALLY_PAID.
      paymentStatus: paymentStatusAfter(
        {
          total: priced.total,
          captured: totalPaid(payments),
          refunded: order.totalRefunded,
          held: totalHeld(payments),
        },
        order.paymentStatus,
      ),
    },
  });
  await adjustCustomerStats(tx, order, { orders: 0, spent: priced.total.minus(order.total) });
  await appendOrderEvent(tx, order, 'ORDER_EDITED', describeEdit(order, lines, after, updated), actor, {
    idempotencyKey: plan.key,
    fingerprint: plan.fingerprint,
  });
  const payload: OrderEditedPayload = {
    orderId: order.id,
    placedAt: order.placedAt.toISOString(),
    customerId: order.customerId,
    email: order.email,
    currencyCode: order.currencyCode,
    before,
    after: figuresOf(updated, written),
  };
  await appendOutboxEvents(tx, [
    ...inventoryEvents(order.storeId, changes),
    { storeId: order.storeId, type: 'order.edited', aggregateType: 'Order', aggregateId: order.id, payload },
  ]);
  return { order: updated, userErrors: [] };
}

function mergeAllocations(a: readonly LocationQuantity[], b: readonly LocationQuantity[]): LocationQuantity[] {
  const merged = new Map<string, number>();
  for (const { locationId, quantity } of [...a, ...b]) merged.set(locationId, (merged.get(locationId) ?? 0) + quantity);
  return [...merged].map(([locationId, quantity]) => ({ locationId, quantity }));
}

/** The order's amounts and lines as the analytics read model counts them. */
function figuresOf(order: Order, lines: readonly OrderLine[]): OrderFigures {
  return {
    subtotal: order.subtotal.toFixed(),
    discounts: order.discountTotal.toFixed(),
    shipping: order.shippingTotal.toFixed(),
    tax: order.taxTotal.toFixed(),
    total: order.total.toFixed(),
    lines: lines.map((line) => ({
      productId: line.productId,
      variantId: line.variantId,
      quantity: line.quantity,
      netSales: line.totalPrice.minus(line.discountTotal).toFixed(),
    })),
  };
}

/** "Added 2 × Mug; Tee 3 → 1; removed Cap. Total 40.00 EUR → 55.00 EUR." */
function describeEdit(order: Order, lines: readonly OrderLine[], after: readonly LineAfter[], updated: Order): string {
  const parts: string[] = [];
  for (const line of after) {
    if (!line.existing) parts.push(`added ${line.quantity} × ${line.title}`);
    else if (line.quantity !== line.existing.quantity) {
      const was = lines.find((candidate) => candidate.id === line.existing?.id)?.quantity ?? 0;
      parts.push(line.quantity === 0 ? `removed ${line.title}` : `${line.title} ${was} → ${line.quantity}`);
    }
  }
  const change = parts.length > 0 ? parts.join('; ') : 'no change to the lines';
  const total = `Total ${formatAmount(order.total, order.currencyCode)} → ${formatAmount(updated.total, updated.currencyCode)}`;
  return `${change.charAt(0).toUpperCase()}${change.slice(1)}. ${total}.`;
}
