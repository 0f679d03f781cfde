// Returns (RMA): the buyer or staff ask to send back delivered units; staff approve or decline,
// receive the units (back to stock at a location, or written off) and close the return or settle
// it with a refund (refund.service.ts, `returnId`). Every step runs under the order's row lock
// (changeOrder), so concurrent requests, receipts and refunds of one order take turns and the
// "never more than delivered" rule holds under concurrency. Each step appends to the order's
// timeline, writes a `return.*` event and calls the buyer-mail hook.
import type { Order, OrderLine, Prisma, Return, ReturnLine, Transaction } from '@commerce/database';
import { appendOutboxEvents, type OutboxEventInput, type ReturnChangedPayload } from '@commerce/events';
import {
  forbidden,
  InputErrors,
  keyOrNull,
  notFound,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  requireStore,
  toGlobalId,
  userError,
  type Connection,
  type PageArgs,
  type UserError,
} from '@commerce/graphql-kit';
import { activeLocation, defaultLocation, inventoryEvents, restock } from '@commerce/inventory';
import type {
  OrderErrorCode,
  ReturnApproveInput,
  ReturnCloseInput,
  ReturnDeclineInput,
  ReturnFilter,
  ReturnReceiveInput,
  ReturnRequestInput,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ReturnParent } from '../mappers.js';
import { changeOrder, orderLinesOf } from './order-change.js';
import { returnInCurrency } from './order-children.js';
import { appendOrderEvent, stockActorType, type OrderActor, type OrderEventType } from './order-events.js';
import { queueReturnMail, type ReturnMailStep } from './return-mail.js';
import { checkReturnTransition, statusAfterReceipt, statusAfterRefund } from './return-status.js';

/** The return mutations' payload. */
export interface ReturnResult {
  return: ReturnParent | null;
  order: Order | null;
  userErrors: UserError<OrderErrorCode>[];
}

export type ReturnWithLines = Return & { lines: ReturnLine[] };

const MAX_NOTE = 2_000;
const MAX_REASON = 500;
const DAY_MS = 86_400_000;

const failed = (order: Order | null, ...userErrors: UserError<OrderErrorCode>[]): ReturnResult => ({
  return: null,
  order,
  userErrors,
});

/** A return of the store with its lines in the order they were asked for; null when there is none. */
export function returnWithLines(tx: Transaction, storeId: string, returnId: string): Promise<ReturnWithLines | null> {
  return tx.return.findUnique({
    where: { storeId_id: { storeId, id: returnId } },
    include: { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
  });
}

/**
 * Units of each line of an order that returns already claim: all units asked for in returns that
 * are not declined, except closed ones, which keep only what arrived (the rest never came back).
 */
async function claimedUnits(tx: Transaction, order: Order): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ orderLineId: string; units: number }[]>`
    SELECT rl."orderLineId", sum(CASE WHEN r."status" = 'CLOSED' THEN rl."receivedQuantity" ELSE rl."quantity" END)::int AS "units"
    FROM "ReturnLine" rl
    JOIN "Return" r ON r."storeId" = rl."storeId" AND r."id" = rl."returnId"
    WHERE rl."storeId" = ${order.storeId}::uuid AND r."orderId" = ${order.id}::uuid AND r."status" <> 'DECLINED'
    GROUP BY rl."orderLineId"`;
  return new Map(rows.map((row) => [row.orderLineId, row.units]));
}

/**
 * Whether a customer may still ask for a return of the order: within the store's return window,
 * counted from the order's last delivery (or shipment, when no delivery was recorded).
 */
async function withinReturnWindow(tx: Transaction, order: Order, now: Date): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ windowDays: number; deliveredAt: Date | null }[]>`
    SELECT s."returnWindowDays" AS "windowDays",
           (SELECT max(coalesce(f."deliveredAt", f."createdAt")) FROM "Fulfillment" f
            WHERE f."storeId" = ${order.storeId}::uuid AND f."orderId" = ${order.id}::uuid) AS "deliveredAt"
    FROM "Store" s WHERE s."id" = ${order.storeId}::uuid`;
  if (!row || row.windowDays <= 0) return false;
  // Nothing delivered yet: the window has not started, and the line checks say why.
  if (!row.deliveredAt) return true;
  return now.getTime() <= row.deliveredAt.getTime() + row.windowDays * DAY_MS;
}

function reasonText(reason: string): string {
  return reason.toLowerCase().replace(/_/g, ' ');
}

function unitsText(entries: readonly { line: Pick<OrderLine, 'title'>; quantity: number }[]): string {
  return entries.map(({ line, quantity }) => `${quantity} × ${line.title}`).join(', ');
}

function linesOf(ret: ReturnWithLines, orderLines: readonly OrderLine[]) {
  return ret.lines.flatMap((returnLine) => {
    const line = orderLines.find((candidate) => candidate.id === returnLine.orderLineId);
    return line ? [{ returnLine, line, quantity: returnLine.quantity }] : [];
  });
}

/** The `return.<step>` event of a return as it stands after the step. */
function returnEvent(
  order: Order,
  ret: ReturnWithLines,
  orderLines: readonly OrderLine[],
  type: Extract<OutboxEventInput['type'], `return.${string}`>,
): OutboxEventInput {
  const payload: ReturnChangedPayload = {
    returnId: ret.id,
    orderId: order.id,
    customerId: order.customerId,
    email: order.email,
    status: ret.status,
    lines: linesOf(ret, orderLines).map(({ returnLine, line }) => ({
      returnLineId: returnLine.id,
      orderLineId: line.id,
      productId: line.productId,
      variantId: line.variantId,
      quantity: returnLine.quantity,
      reason: returnLine.reason,
      receivedQuantity: returnLine.receivedQuantity,
      restockedQuantity: returnLine.restockedQuantity,
    })),
  };
  return { storeId: order.storeId, type, aggregateType: 'Return', aggregateId: ret.id, payload };
}

const STEP_EVENTS: Record<
  Exclude<ReturnMailStep, 'refunded'>,
  { timeline: OrderEventType; outbox: Extract<OutboxEventInput['type'], `return.${string}`> }
> = {
  requested: { timeline: 'RETURN_REQUESTED', outbox: 'return.requested' },
  approved: { timeline: 'RETURN_APPROVED', outbox: 'return.approved' },
  declined: { timeline: 'RETURN_DECLINED', outbox: 'return.declined' },
  received: { timeline: 'RETURN_RECEIVED', outbox: 'return.received' },
  closed: { timeline: 'RETURN_CLOSED', outbox: 'return.closed' },
};

/** Tells a step everywhere it is told: the order's timeline, the buyer-mail hook and the outbox (last). */
async function announceStep(
  tx: Transaction,
  order: Order,
  ret: ReturnWithLines,
  orderLines: readonly OrderLine[],
  step: keyof typeof STEP_EVENTS,
  message: string,
  actor: OrderActor,
  extraEvents: OutboxEventInput[] = [],
): Promise<void> {
  const { timeline, outbox } = STEP_EVENTS[step];
  await appendOrderEvent(tx, order, timeline, message, actor, { returnId: ret.id });
  await queueReturnMail(tx, order, ret, step);
  await appendOutboxEvents(tx, [...extraEvents, returnEvent(order, ret, orderLines, outbox)]);
}

/**
 * Asks to return delivered units of an order: the customer who placed it, within the store's
 * return window, or staff with the orders permission at any time. Each line at most its delivered
 * units less those other returns (not declined) already claim, checked under the order's lock.
 */
export function requestReturn(context: SubgraphContext, input: ReturnRequestInput): Promise<ReturnResult> {
  const errors = new InputErrors<OrderErrorCode>();
  const note = input.note?.trim() ?? '';
  if (note.length > MAX_NOTE) errors.add(['input', 'note'], `Use at most ${MAX_NOTE} characters.`, 'TOO_LONG');
  if (input.lines.length === 0) errors.add(['input', 'lines'], 'Name at least one line to return.', 'INVALID');
  const requested = input.lines.map((line, index) => {
    const lineId = keyOrNull(line.orderLineId, 'OrderLine');
    if (!lineId)
      errors.add(['input', 'lines', String(index), 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      errors.add(['input', 'lines', String(index), 'quantity'], 'Return at least 1 unit.', 'INVALID');
    return { lineId: lineId ?? '', quantity: line.quantity, reason: line.reason, index };
  });
  if (new Set(requested.map((line) => line.lineId)).size !== requested.length)
    errors.add(['input', 'lines'], 'Name each line once.', 'INVALID');
  if (!errors.ok) return Promise.resolve(failed(null, ...errors.errors));

  return changeOrder(context, input.orderId, 'staffOrCustomer', async (tx, order, actor): Promise<ReturnResult> => {
    if (actor.type === 'CUSTOMER' && !(await withinReturnWindow(tx, order, new Date())))
      return failed(
        order,
        userError(
          ['input', 'orderId'],
          "The store's return window for this order has passed; contact the store.",
          'RETURN_WINDOW_CLOSED',
        ),
      );
    const orderLines = await orderLinesOf(tx, order);
    const claimed = await claimedUnits(tx, order);
    const problems: UserError<OrderErrorCode>[] = [];
    const accepted: { line: OrderLine; quantity: number; reason: string }[] = [];
    for (const { lineId, quantity, reason, index } of requested) {
      const field = ['input', 'lines', String(index)];
      const line = orderLines.find((candidate) => candidate.id === lineId);
      if (!line) {
        problems.push(userError([...field, 'orderLineId'], 'There is no such line in this order.', 'NOT_FOUND'));
        continue;
      }
      const returnable = Math.max(0, line.fulfilledQuantity - (claimed.get(line.id) ?? 0));
      if (quantity > returnable) {
        problems.push(
          userError(
            [...field, 'quantity'],
            `Only ${returnable} of "${line.title}" can be returned (delivered and not in another return).`,
            'TOO_MANY',
          ),
        );
        continue;
      }
      accepted.push({ line, quantity, reason });
    }
    if (problems.length > 0) return failed(order, ...problems);

    const created = await tx.return.create({
      data: {
        storeId: order.storeId,
        orderId: order.id,
        note,
        requestedByType: actor.type,
        requestedById: actor.id,
        lines: {
          create: accepted.map(({ line, quantity, reason }, index) => ({
            orderLineId: line.id,
            quantity,
            reason,
            // A millisecond apart, so the lines keep the order they were asked in.
            createdAt: new Date(Date.now() + index),
          })),
        },
      },
      include: { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
    });
    const what = accepted.map(({ line, quantity, reason }) => `${quantity} × ${line.title} (${reasonText(reason)})`);
    await announceStep(
      tx,
      order,
      created,
      orderLines,
      'requested',
      `Return requested: ${what.join(', ')}${note ? ` (note: ${note})` : ''}.`,
      actor,
    );
    return { return: returnInCurrency(created, order.currencyCode), order, userErrors: [] };
  });
}

/**
 * Runs a staff change of a return under its order's row lock (staff with the orders permission).
 * A return of another store, or an id that is not a return's, is NOT_FOUND.
 */
async function changeReturn(
  context: SubgraphContext,
  returnGlobalId: string,
  change: (tx: Transaction, order: Order, ret: ReturnWithLines, actor: OrderActor) => Promise<ReturnResult>,
): Promise<ReturnResult> {
  await requirePermission(context, 'MANAGE_ORDERS');
  const storeId = requireStore(context).id;
  const key = keyOrNull(returnGlobalId, 'Return');
  if (!key) throw notFound(`Return "${returnGlobalId}"`);
  const found = await context.db.read((tx) =>
    tx.return.findUnique({ where: { storeId_id: { storeId, id: key } }, select: { orderId: true } }),
  );
  if (!found) throw notFound(`Return "${returnGlobalId}"`);
  return changeOrder(context, toGlobalId('Order', found.orderId), 'staff', async (tx, order, actor) => {
    const ret = await returnWithLines(tx, storeId, key);
    if (!ret) throw notFound(`Return "${returnGlobalId}"`);
    return change(tx, order, ret, actor);
  });
}

async function setStatus(
  tx: Transaction,
  ret: ReturnWithLines,
  data: Prisma.ReturnUpdateInput,
): Promise<ReturnWithLines> {
  return tx.return.update({
    where: { storeId_id: { storeId: ret.storeId, id: ret.id } },
    data,
    include: { lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
  });
}

/** REQUESTED → APPROVED (staff): the buyer may send the units. */
export function approveReturn(context: SubgraphContext, input: ReturnApproveInput): Promise<ReturnResult> {
  return changeReturn(context, input.returnId, async (tx, order, ret, actor) => {
    const refusal = checkReturnTransition(ret.status, 'approve');
    if (refusal) return failed(order, refusal);
    const approved = await setStatus(tx, ret, { status: 'APPROVED', approvedAt: new Date() });
    const orderLines = await orderLinesOf(tx, order);
    await announceStep(
      tx,
      order,
      approved,
      orderLines,
      'approved',
      `Return of ${unitsText(linesOf(approved, orderLines))} approved.`,
      actor,
    );
    return { return: returnInCurrency(approved, order.currencyCode), order, userErrors: [] };
  });
}

/** REQUESTED → DECLINED (staff), with the reason the buyer is told; its units can be asked for again. */
export function declineReturn(context: SubgraphContext, input: ReturnDeclineInput): Promise<ReturnResult> {
  const errors = new InputErrors<OrderErrorCode>().text(['input', 'reason'], input.reason, MAX_REASON);
  if (!errors.ok) return Promise.resolve(failed(null, ...errors.errors));
  const reason = input.reason.trim();
  return changeReturn(context, input.returnId, async (tx, order, ret, actor) => {
    const refusal = checkReturnTransition(ret.status, 'decline');
    if (refusal) return failed(order, refusal);
    const declined = await setStatus(tx, ret, { status: 'DECLINED', declinedAt: new Date(), declineReason: reason });
    const orderLines = await orderLinesOf(tx, order);
    await announceStep(
      tx,
      order,
      declined,
      orderLines,
      'declined',
      `Return of ${unitsText(linesOf(declined, orderLines))} declined: ${reason}.`,
      actor,
    );
    return { return: returnInCurrency(declined, order.currencyCode), order, userErrors: [] };
  });
}

/**
 * Records units of an approved return that arrived (staff): restocked ones go back to sale at the
 * given active location (the default location when none is given), with a 'return' stock
 * movement; the others are written off. RECEIVED once every unit asked for arrived.
 */
export function receiveReturn(context: SubgraphContext, input: ReturnReceiveInput): Promise<ReturnResult> {
  const errors = new InputErrors<OrderErrorCode>();
  if (input.lines.length === 0) errors.add(['input', 'lines'], 'Name at least one line received.', 'INVALID');
  const received = input.lines.map((line, index) => {
    const lineId = keyOrNull(line.returnLineId, 'ReturnLine');
    if (!lineId)
      errors.add(
        ['input', 'lines', String(index), 'returnLineId'],
        'There is no such line in this return.',
        'NOT_FOUND',
      );
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      errors.add(['input', 'lines', String(index), 'quantity'], 'Receive at least 1 unit.', 'INVALID');
    return { lineId: lineId ?? '', quantity: line.quantity, restock: line.restock ?? true, index };
  });
  if (new Set(received.map((line) => line.lineId)).size !== received.length)
    errors.add(['input', 'lines'], 'Name each line once.', 'INVALID');
  const locationKey = input.locationId == null ? null : keyOrNull(input.locationId, 'InventoryLocation');
  if (input.locationId != null && !locationKey)
    errors.add(['input', 'locationId'], 'There is no such active location in this store.', 'NOT_FOUND');
  if (!errors.ok) return Promise.resolve(failed(null, ...errors.errors));

  return changeReturn(context, input.returnId, async (tx, order, ret, actor) => {
    const refusal = checkReturnTransition(ret.status, 'receive');
    if (refusal) return failed(order, refusal);
    const orderLines = await orderLinesOf(tx, order);
    const problems: UserError<OrderErrorCode>[] = [];
    const arrivals: { returnLine: ReturnLine; line: OrderLine; quantity: number; restock: boolean }[] = [];
    for (const { lineId, quantity, restock: back, index } of received) {
      const field = ['input', 'lines', String(index)];
      const returnLine = ret.lines.find((candidate) => candidate.id === lineId);
      const line = returnLine && orderLines.find((candidate) => candidate.id === returnLine.orderLineId);
      if (!returnLine || !line) {
        problems.push(userError([...field, 'returnLineId'], 'There is no such line in this return.', 'NOT_FOUND'));
        continue;
      }
      const left = returnLine.quantity - returnLine.receivedQuantity;
      if (quantity > left) {
        problems.push(
          userError([...field, 'quantity'], `Only ${left} of "${line.title}" are still to arrive.`, 'TOO_MANY'),
        );
        continue;
      }
      // A line whose variant was deleted has no stock to go back to: its units are written off.
      arrivals.push({ returnLine, line, quantity, restock: back && line.variantId !== null });
    }
    const toStock = arrivals.filter((arrival) => arrival.restock);
    const location =
      toStock.length === 0
        ? null
        : locationKey
          ? await activeLocation(tx, order.storeId, locationKey)
          : await defaultLocation(tx, order.storeId);
    if (toStock.length > 0 && !location)
      problems.push(userError(['input', 'locationId'], 'There is no such active location in this store.', 'NOT_FOUND'));
    if (problems.length > 0) return failed(order, ...problems);

    const changes = location
      ? await restock(
          tx,
          order.storeId,
          toStock.flatMap(({ line, quantity }) => (line.variantId ? [{ variantId: line.variantId, quantity }] : [])),
          { type: stockActorType(actor), id: actor.id, orderId: order.id },
          { locationId: location.id, reason: 'return' },
        )
      : [];
    for (const { returnLine, quantity, restock: back } of arrivals) {
      await tx.returnLine.update({
        where: { storeId_id: { storeId: order.storeId, id: returnLine.id } },
        data: {
          receivedQuantity: { increment: quantity },
          restockedQuantity: back ? { increment: quantity } : undefined,
        },
      });
    }
    const after = ret.lines.map((line) => ({
      ...line,
      receivedQuantity:
        line.receivedQuantity + (arrivals.find((arrival) => arrival.returnLine.id === line.id)?.quantity ?? 0),
    }));
    const updated = await setStatus(tx, ret, { status: statusAfterReceipt(after), receivedAt: new Date() });
    const parts = [
      toStock.length > 0 && location ? `${unitsText(toStock)} back to stock at ${location.name}` : '',
      arrivals.some((arrival) => !arrival.restock)
        ? `${unitsText(arrivals.filter((arrival) => !arrival.restock))} written off`
        : '',
    ].filter(Boolean);
    await announceStep(
      tx,
      order,
      updated,
      orderLines,
      'received',
      `Return received: ${parts.join('; ')}.`,
      actor,
      inventoryEvents(order.storeId, changes),
    );
    return { return: returnInCurrency(updated, order.currencyCode), order, userErrors: [] };
  });
}

/** Closes a return that needs nothing more (staff): units that never arrived can be asked for again. */
export function closeReturn(context: SubgraphContext, input: ReturnCloseInput): Promise<ReturnResult> {
  return changeReturn(context, input.returnId, async (tx, order, ret, actor) => {
    const refusal = checkReturnTransition(ret.status, 'close');
    if (refusal) return failed(order, refusal);
    const closed = await setStatus(tx, ret, { status: 'CLOSED', closedAt: new Date() });
    const orderLines = await orderLinesOf(tx, order);
    await announceStep(
      tx,
      order,
      closed,
      orderLines,
      'closed',
      `Return of ${unitsText(linesOf(closed, orderLines))} closed.`,
      actor,
    );
    return { return: returnInCurrency(closed, order.currencyCode), order, userErrors: [] };
  });
}

/** Units of a return a refund settles: for each line, those received and not refunded yet. */
export interface ReturnRefundPlan {
  ret: ReturnWithLines;
  lines: { lineId: string; quantity: number; index: number; returnLineId: string }[];
}

/**
 * What a refund with `returnId` refunds (refundCreate), read under the order's lock: the return
 * must be the order's and have received units not refunded yet.
 */
export async function returnRefundPlan(
  tx: Transaction,
  order: Order,
  returnId: string,
): Promise<ReturnRefundPlan | UserError<OrderErrorCode>> {
  const ret = await returnWithLines(tx, order.storeId, returnId);
  if (!ret || ret.orderId !== order.id)
    return userError(['input', 'returnId'], 'There is no such return of this order.', 'NOT_FOUND');
  const refusal = checkReturnTransition(ret.status, 'refund', ['input', 'returnId']);
  if (refusal) return refusal;
  const lines = ret.lines
    .map((line, index) => ({
      lineId: line.orderLineId,
      quantity: line.receivedQuantity - line.refundedQuantity,
      index,
      returnLineId: line.id,
    }))
    .filter((line) => line.quantity > 0);
  if (lines.length === 0)
    return userError(
      ['input', 'returnId'],
      'Every unit of this return that arrived is refunded already; receive more units first.',
      'NOTHING_TO_REFUND',
    );
  return { ret, lines };
}

/** Books a refund's units on the return it settles; REFUNDED once every unit asked for arrived and is refunded. */
export async function settleReturn(tx: Transaction, order: Order, plan: ReturnRefundPlan): Promise<void> {
  for (const { returnLineId, quantity } of plan.lines) {
    await tx.returnLine.update({
      where: { storeId_id: { storeId: order.storeId, id: returnLineId } },
      data: { refundedQuantity: { increment: quantity } },
    });
  }
  const after = plan.ret.lines.map((line) => ({
    ...line,
    refundedQuantity:
      line.refundedQuantity + (plan.lines.find((entry) => entry.returnLineId === line.id)?.quantity ?? 0),
  }));
  const status = statusAfterRefund(plan.ret.status, after);
  const ret = status === plan.ret.status ? plan.ret : await setStatus(tx, plan.ret, { status, closedAt: new Date() });
  await queueReturnMail(tx, order, ret, 'refunded');
}

const NEWEST_FIRST = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  descending: true,
  value: (ret: ReturnParent) => ret.createdAt,
});

export interface StoreReturnsArgs extends PageArgs {
  filter?: ReturnFilter | null;
}

/** A page of the store's returns, newest first: staff with the orders permission see all, a customer their own. */
export async function listStoreReturns(
  context: SubgraphContext,
  storeId: string,
  args: StoreReturnsArgs,
): Promise<Connection<ReturnParent>> {
  const conditions: Prisma.ReturnWhereInput[] = [{ storeId, status: args.filter?.status ?? undefined }];
  if (context.viewer.kind === 'customer') {
    if (context.viewer.storeId !== storeId) throw forbidden("A customer can read only their own store's returns.");
    conditions.push({ order: { customerId: context.viewer.customerId } });
  } else await requirePermission(context, 'MANAGE_ORDERS');
  if (args.filter?.orderId) {
    const orderId = keyOrNull(args.filter.orderId, 'Order');
    conditions.push(orderId ? { orderId } : { id: { in: [] } });
  }
  const where: Prisma.ReturnWhereInput = { AND: conditions };
  return prismaConnection({
    args,
    sort: NEWEST_FIRST,
    fetch: (page) =>
      context.db
        .read((tx) =>
          tx.return.findMany({
            ...page.findManyArgs(where),
            include: {
              lines: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
              order: { select: { currencyCode: true } },
            },
          }),
        )
        .then((rows) => rows.map(({ order, ...row }) => returnInCurrency(row, order.currencyCode))),
    count: () => context.db.read((tx) => tx.return.count({ where })),
  });
}
