import { Prisma, type Order, type OrderEvent } from '@commerce/database';
import {
  arrayConnection,
  badUserInput,
  forbidden,
  hasPermission,
  keyOrNull,
  money,
  normalizeEmail,
  prismaConnection,
  readPage,
  requirePermission,
  requireStore,
  toGlobalId,
  type Connection,
  type Money,
  type PageArgs,
} from '@commerce/graphql-kit';
import type { OrderFilter, OrderSortKeys } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { FulfillmentParent, OrderLineParent, PaymentParent, RefundParent, ReturnParent } from '../mappers.js';
import { totalHeld, totalPaid } from './order-change.js';
import {
  fulfillmentInCurrency,
  paymentWithTransactions,
  refundInCurrency,
  returnInCurrency,
} from './order-children.js';
import { CUSTOMER_ORDER_SORT_KEY, ORDER_SORT_KEYS } from '../order-sort-keys.js';

/** Order numbers are PostgreSQL integers; longer digit strings cannot be one. */
const MAX_ORDER_NUMBER = 2_147_483_647;

/** Which orders of the request's store the caller may see: all of them, one customer's, or none. */
type OrderVisibility = { kind: 'store' } | { kind: 'customer'; customerId: string } | null;

async function orderVisibility(context: SubgraphContext): Promise<OrderVisibility> {
  if (context.viewer.kind === 'customer') return { kind: 'customer', customerId: context.viewer.customerId };
  return (await hasPermission(context, 'MANAGE_ORDERS')) ? { kind: 'store' } : null;
}

/**
 * An order by global id: staff with the orders permission see their store's orders, a customer
 * only their own; anyone else, and any order of another store (row-level security), gets null.
 */
export async function findOrder(context: SubgraphContext, id: string): Promise<Order | null> {
  const key = keyOrNull(id, 'Order');
  if (!key) return null;
  const visibility = await orderVisibility(context);
  if (!visibility) return null;
  const order = await context.loaders.orderById.load(key);
  if (!order || (visibility.kind === 'customer' && order.customerId !== visibility.customerId)) return null;
  return order;
}

/** The lines of an order the caller may already see, in the order's currency. */
export async function orderLines(context: SubgraphContext, order: Order): Promise<OrderLineParent[]> {
  const lines = await context.loaders.linesByOrder.load(order.id);
  return lines.map((line) => ({ ...line, currencyCode: order.currencyCode }));
}

function orderNumberOf(digits: string): number | null {
  const number = Number(digits);
  return Number.isSafeInteger(number) && number <= MAX_ORDER_NUMBER ? number : null;
}

/** "#1001" is an order number; "1001" an order number or the start of an email; anything else the start of an email. */
function queryCondition(query: string): Prisma.OrderWhereInput | undefined {
  const text = query.trim();
  if (!text) return undefined;
  const numbered = /^#\s*(\d+)$/.exec(text);
  if (numbered?.[1] !== undefined) {
    const number = orderNumberOf(numbered[1]);
    return number === null ? { id: { in: [] } } : { number };
  }
  // Prisma passes LIKE wildcards through, so a typed % or _ is escaped to mean itself.
  const byEmail: Prisma.OrderWhereInput = {
    email: { startsWith: text.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' },
  };
  const number = /^\d+$/.test(text) ? orderNumberOf(text) : null;
  return number === null ? byEmail : { OR: [{ number }, byEmail] };
}

function filterCondition(storeId: string, filter: OrderFilter | null | undefined): Prisma.OrderWhereInput {
  const where: Prisma.OrderWhereInput = {
    storeId,
    status: filter?.status ?? undefined,
    paymentStatus: filter?.paymentStatus ?? undefined,
    fulfillmentStatus: filter?.fulfillmentStatus ?? undefined,
    createdAt: { gte: filter?.createdAtMin ?? undefined, lt: filter?.createdAtMax ?? undefined },
  };
  const query = filter?.query ? queryCondition(filter.query) : undefined;
  return query ? { AND: [where, query] } : where;
}

export interface StoreOrdersArgs extends PageArgs {
  filter?: OrderFilter | null;
  sortKey: OrderSortKeys;
  reverse: boolean;
}

/** A page of the store's orders (staff with the orders permission). */
export async function listStoreOrders(
  context: SubgraphContext,
  storeId: string,
  args: StoreOrdersArgs,
): Promise<Connection<Order>> {
  const own = await storeOrdersScope(context, storeId);
  const filtered = filterCondition(storeId, args.filter);
  const where = own ? { AND: [filtered, own] } : filtered;
  return prismaConnection({
    args,
    sort: ORDER_SORT_KEYS[args.sortKey],
    reverse: args.reverse,
    fetch: (page) => context.db.transaction((tx) => tx.order.findMany(page.findManyArgs(where))),
    count: () => context.db.transaction((tx) => tx.order.count({ where })),
  });
}

/**
 * Whose orders of the store a caller lists: a customer only their own (the returned condition),
 * staff with the orders permission all of them (null); anyone else is refused.
 */
async function storeOrdersScope(context: SubgraphContext, storeId: string): Promise<Prisma.OrderWhereInput | null> {
  if (context.viewer.kind === 'customer') {
    if (context.viewer.storeId !== storeId) throw forbidden("A customer can read only their own store's orders.");
    return { customerId: context.viewer.customerId };
  }
  await requirePermission(context, 'MANAGE_ORDERS');
  return null;
}

/** The customer themself, or staff with the orders permission; anyone else is refused. */
async function requireCustomerOrdersAccess(context: SubgraphContext, customerId: string): Promise<void> {
  if (context.viewer.kind === 'customer') {
    if (context.viewer.customerId !== customerId) throw forbidden('A customer can read only their own orders.');
    return;
  }
  await requirePermission(context, 'MANAGE_ORDERS');
}

/**
 * A page of a customer's orders, newest first. A page of customers asking for their orders shares
 * one statement (see the `customerOrders` loader), and `totalCount` one more when selected.
 */
export async function listCustomerOrders(
  context: SubgraphContext,
  customerGlobalId: string,
  args: PageArgs,
): Promise<Connection<Order>> {
  const customerId = keyOrNull(customerGlobalId, 'Customer');
  if (!customerId) throw badUserInput(`"${customerGlobalId}" is not a Customer id.`, ['id']);
  await requireCustomerOrdersAccess(context, customerId);
  // Read here too, so that bad arguments fail this field alone rather than the loader's whole batch.
  readPage(args, CUSTOMER_ORDER_SORT_KEY);
  const orders = await context.loaders.customerOrders.load({ customerId, args });
  return {
    ...arrayConnection(orders, args, CUSTOMER_ORDER_SORT_KEY),
    totalCount: () => context.loaders.orderCountByCustomer.load(customerId),
  };
}

/** Whether the caller is staff who may see everything of the store's orders (notes, commission). */
export function isOrderStaff(context: SubgraphContext): Promise<boolean> {
  return hasPermission(context, 'MANAGE_ORDERS');
}

/** An order's timeline; buyers do not see the staff's notes. */
export async function orderEvents(context: SubgraphContext, order: Order): Promise<OrderEvent[]> {
  const events = await context.loaders.eventsByOrder.load(order.id);
  return (await isOrderStaff(context)) ? events : events.filter((event) => event.type !== 'NOTE_ADDED');
}

/** An order's payments; the platform's commission shows to staff only. */
export async function orderPayments(context: SubgraphContext, order: Order): Promise<PaymentParent[]> {
  const [payments, staff] = await Promise.all([context.loaders.paymentsByOrder.load(order.id), isOrderStaff(context)]);
  return payments.map((payment) => paymentWithTransactions(payment, staff));
}

/** What the buyer has paid for an order so far. */
export async function orderTotalPaid(context: SubgraphContext, order: Order): Promise<Prisma.Decimal> {
  return totalPaid(await context.loaders.paymentsByOrder.load(order.id));
}

/** What the buyer still owes: total − paid + refunded; negative when that much is to refund. */
export async function orderTotalOutstanding(context: SubgraphContext, order: Order): Promise<Prisma.Decimal> {
  return order.total.minus(totalPaid(await context.loaders.paymentsByOrder.load(order.id))).plus(order.totalRefunded);
}

/** What staff can still capture of an order's authorized payments. */
export async function orderTotalCapturable(context: SubgraphContext, order: Order): Promise<Prisma.Decimal> {
  return totalHeld(await context.loaders.paymentsByOrder.load(order.id));
}

export async function orderFulfillments(context: SubgraphContext, order: Order): Promise<FulfillmentParent[]> {
  return (await context.loaders.fulfillmentsByOrder.load(order.id)).map((fulfillment) =>
    fulfillmentInCurrency(fulfillment, order.currencyCode),
  );
}

export async function orderRefunds(context: SubgraphContext, order: Order): Promise<RefundParent[]> {
  return (await context.loaders.refundsByOrder.load(order.id)).map((refund) =>
    refundInCurrency(refund, order.currencyCode),
  );
}

export async function orderReturns(context: SubgraphContext, order: Order): Promise<ReturnParent[]> {
  return (await context.loaders.returnsByOrder.load(order.id)).map((ret) => returnInCurrency(ret, order.currencyCode));
}

/** The return a refund settled (seen by whoever sees the refund's order); null for other refunds. */
export async function refundReturn(context: SubgraphContext, refund: RefundParent): Promise<ReturnParent | null> {
  if (!refund.returnId) return null;
  const ret = await context.loaders.returnById.load(refund.returnId);
  return ret ? returnInCurrency(ret, refund.currencyCode) : null;
}

/** A return's refunds, oldest first. */
export async function returnRefunds(context: SubgraphContext, ret: ReturnParent): Promise<RefundParent[]> {
  return (await context.loaders.refundsByReturn.load(ret.id)).map((refund) =>
    refundInCurrency(refund, ret.currencyCode),
  );
}

/**
 * A return by global id, for whoever may see its order: staff with the orders permission, or the
 * customer whose order it is; null for anyone else and for other stores' returns.
 */
export async function findReturn(context: SubgraphContext, id: string): Promise<ReturnParent | null> {
  const key = keyOrNull(id, 'Return');
  if (!key) return null;
  const ret = await context.loaders.returnById.load(key);
  const order = ret && (await findOrder(context, toGlobalId('Order', ret.orderId)));
  return ret && order ? returnInCurrency(ret, order.currencyCode) : null;
}

/** The order of a return the caller already sees. */
export async function returnOrder(context: SubgraphContext, ret: ReturnParent): Promise<Order> {
  const order = await context.loaders.orderById.load(ret.orderId);
  if (!order) throw new Error(`Order ${ret.orderId} of return ${ret.id} is missing.`);
  return order;
}

/** The line of an order a shipment or refund names. */
export async function orderLineOf(
  context: SubgraphContext,
  orderId: string,
  orderLineId: string,
  currencyCode: string,
): Promise<OrderLineParent> {
  const line = (await context.loaders.linesByOrder.load(orderId)).find((candidate) => candidate.id === orderLineId);
  if (!line) throw new Error(`Order line ${orderLineId} of order ${orderId} is missing.`);
  return { ...line, currencyCode };
}

/**
 * An order for a buyer without an account: the order number and the email it was placed with must
 * both match (emails compared ignoring case); null otherwise, whichever did not match.
 */
export async function trackOrder(context: SubgraphContext, numberText: string, email: string): Promise<Order | null> {
  const { id: storeId } = requireStore(context);
  const digits = /^#?\s*(\d{1,10})$/.exec(numberText.trim())?.[1];
  const number = digits === undefined ? null : orderNumberOf(digits);
  const address = normalizeEmail(email);
  if (number === null || address === '') return null;
  return context.db.read((tx) =>
    tx.order.findFirst({ where: { storeId, number, email: { equals: address, mode: 'insensitive' } } }),
  );
}

export interface CustomerStatistics {
  ordersCount: number;
  totalSpent: Money;
  averageOrderValue: Money | null;
  lastOrderAt: Date | null;
}

/**
 * A customer's order statistics, for the customer themself or staff with the customers or orders
 * permission. Money is in the store's currency; no stats row yet means no orders.
 */
export async function customerStatistics(
  context: SubgraphContext,
  customerGlobalId: string,
): Promise<CustomerStatistics> {
  const customerId = keyOrNull(customerGlobalId, 'Customer');
  if (!customerId) throw badUserInput(`"${customerGlobalId}" is not a Customer id.`, ['id']);
  const own = context.viewer.kind === 'customer' && context.viewer.customerId === customerId;
  if (!own && !(await hasPermission(context, 'MANAGE_CUSTOMERS')) && !(await hasPermission(context, 'MANAGE_ORDERS'))) {
    throw forbidden("A customer's statistics are for the customer and for staff who manage customers or orders.");
  }
  const currencyCode = requireStore(context).currencyCode;
  const stats = await context.loaders.statsByCustomer.load(customerId);
  const ordersCount = stats?.ordersCount ?? 0;
  const totalSpent = stats?.totalSpent ?? new Prisma.Decimal(0);
  return {
    ordersCount,
    totalSpent: money(totalSpent, currencyCode),
    averageOrderValue: ordersCount > 0 ? money(totalSpent.dividedBy(ordersCount), currencyCode) : null,
    lastOrderAt: stats?.lastOrderAt ?? null,
  };
}
