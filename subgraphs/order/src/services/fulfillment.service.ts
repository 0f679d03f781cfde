import type { Order } from '@commerce/database';
import { InputErrors, keyOrNull, userError, type UserError } from '@commerce/graphql-kit';
import { appendOutboxEvents } from '@commerce/events';
import { allocationsJson, commitReservedStockAsSold, inventoryEvents, takeFromAllocations } from '@commerce/inventory';
import { queueBuyerNotification } from '@commerce/mail';
import type { FulfillmentCreateInput, OrderErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { FulfillmentParent } from '../mappers.js';
import { allocationsOf, changeOrder, orderLinesOf } from './order-change.js';
import { fulfillmentInCurrency } from './order-children.js';
import { orderFulfilledEvent } from './order-figures.js';
import { appendOrderEvent, stockActorType } from './order-events.js';
import { checkTransition, fulfillmentProgress, nextStatus, openQuantity } from './order-status.js';
import { captureOnFulfillment } from './payment.service.js';

const MAX_TRACKING = 255;
const MAX_URL = 2_000;

/** The fulfillmentCreate payload; the fulfillment carries its order's currency, which its lines' Money is in. */
export interface FulfillmentResult {
  fulfillment: FulfillmentParent | null;
  order: Order | null;
  userErrors: UserError<OrderErrorCode>[];
}

function trackingUrlProblem(url: string): string | null {
  if (url.length > MAX_URL) return `Use at most ${MAX_URL} characters.`;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? null : 'Give an http or https URL.';
  } catch {
    return 'Give an http or https URL.';
  }
}

/**
 * Ships units of a confirmed order (staff): all units not shipped or refunded yet when no lines are
 * given. Their committed stock leaves as sold; the order becomes PROCESSING while units are still
 * to ship, SHIPPED once none are.
 */
export function createFulfillment(context: SubgraphContext, input: FulfillmentCreateInput): Promise<FulfillmentResult> {
  const errors = new InputErrors<OrderErrorCode>();
  const trackingNumber = input.trackingNumber?.trim() ?? '';
  const carrier = input.carrier?.trim() ?? '';
  const trackingUrl = input.trackingUrl?.trim() ?? '';
  if (trackingNumber.length > MAX_TRACKING)
    errors.add(['input', 'trackingNumber'], `Use at most ${MAX_TRACKING} characters.`, 'TOO_LONG');
  if (carrier.length > MAX_TRACKING)
    errors.add(['input', 'carrier'], `Use at most ${MAX_TRACKING} characters.`, 'TOO_LONG');
  const urlProblem = trackingUrl ? trackingUrlProblem(trackingUrl) : null;
  if (urlProblem) errors.add(['input', 'trackingUrl'], urlProblem, 'INVALID');
  const requested = (input.lines ?? []).map((line, index) => {
    const lineId = keyOrNull(line.orderLineId, 'OrderLine');
    if (!lineId)
      errors.add(['input', 'lines', String(index), 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      errors.add(['input', 'lines', String(index), 'quantity'], 'Ship at least 1 unit.', 'INVALID');
    return { lineId, quantity: line.quantity, index };
  });
  if (!errors.ok) return Promise.resolve({ fulfillment: null, order: null, userErrors: errors.errors });

  return changeOrder(context, input.orderId, 'staff', async (tx, order, actor): Promise<FulfillmentResult> => {
    const refusal = checkTransition(order, 'fulfil');
    if (refusal) return { fulfillment: null, order, userErrors: [refusal] };
    const lines = await orderLinesOf(tx, order);
    const shipping = new Map<string, number>();
    const problems: UserError<OrderErrorCode>[] = [];
    if (input.lines) {
      for (const { lineId, quantity, index } of requested) {
        const line = lines.find((candidate) => candidate.id === lineId);
        const field = ['input', 'lines', String(index)];
        if (!line) {
          problems.push(userError([...field, 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND'));
          continue;
        }
        const total = (shipping.get(line.id) ?? 0) + quantity;
        if (total > openQuantity(line))
          problems.push(
            userError(
              [...field, 'quantity'],
              `Only ${openQuantity(line)} of "${line.title}" are left to ship.`,
              'TOO_MANY',
            ),
          );
        else shipping.set(line.id, total);
      }
    } else {
      for (const line of lines) if (openQuantity(line) > 0) shipping.set(line.id, openQuantity(line));
    }
    if (problems.length > 0) return { fulfillment: null, order, userErrors: problems };
    if (shipping.size === 0)
      return {
        fulfillment: null,
        order,
        userErrors: [userError(['input', 'lines'], 'Nothing is left to ship in this order.', 'NOTHING_TO_FULFILL')],
      };

    const shipped = lines
      .filter((line) => shipping.has(line.id))
      .map((line) => ({
        line,
        quantity: shipping.get(line.id) ?? 0,
        split: takeFromAllocations(allocationsOf(line), shipping.get(line.id) ?? 0),
      }));
    const changes = await commitReservedStockAsSold(
      tx,
      order.storeId,
      shipped.flatMap(({ line, split }) =>
        line.variantId ? [{ variantId: line.variantId, allocations: split.taken }] : [],
      ),
      { type: stockActorType(actor), id: actor.id, orderId: order.id },
    );
    for (const { line, quantity, split } of shipped) {
      await tx.orderLine.update({
        where: { storeId_id: { storeId: order.storeId, id: line.id } },
        data: { fulfilledQuantity: { increment: quantity }, allocations: allocationsJson(split.rest) },
      });
    }
    const fulfillment = await tx.fulfillment.create({
      data: {
        storeId: order.storeId,
        orderId: order.id,
        carrier,
        trackingNumber,
        trackingUrl,
        lines: { create: shipped.map(({ line, quantity }) => ({ orderLineId: line.id, quantity })) },
      },
      include: { lines: true },
    });
    const after = lines.map((line) => ({
      ...line,
      fulfilledQuantity: line.fulfilledQuantity + (shipping.get(line.id) ?? 0),
    }));
    const progress = fulfillmentProgress(after);
    // Stores that capture at fulfilment take the payment as the last units ship.
    if (progress.fulfillmentStatus === 'FULFILLED') await captureOnFulfillment(tx, order, actor);
    const updated = await tx.order.update({
      where: { storeId_id: { storeId: order.storeId, id: order.id } },
      data: { fulfillmentStatus: progress.fulfillmentStatus, status: nextStatus(order, 'fulfil', progress.status) },
    });
    const units = shipped.map(({ line, quantity }) => `${quantity} × ${line.title}`).join(', ');
    const via = [carrier && `via ${carrier}`, trackingNumber && `tracking ${trackingNumber}`]
      .filter(Boolean)
      .join(', ');
    await appendOrderEvent(tx, order, 'FULFILLED', `Shipped ${units}${via ? ` (${via})` : ''}.`, actor, {
      fulfillmentId: fulfillment.id,
    });
    // The stock events and, once every line has shipped, the order's: one statement.
    await appendOutboxEvents(tx, [
      ...inventoryEvents(order.storeId, changes),
      ...(progress.fulfillmentStatus === 'FULFILLED' ? [orderFulfilledEvent(order, fulfillment.id)] : []),
    ]);
    await queueBuyerNotification(tx, {
      storeId: order.storeId,
      kind: 'SHIPPING_CONFIRMATION',
      to: order.email,
      data: { orderId: order.id, fulfillmentId: fulfillment.id },
    });
    return { fulfillment: fulfillmentInCurrency(fulfillment, updated.currencyCode), order: updated, userErrors: [] };
  });
}
