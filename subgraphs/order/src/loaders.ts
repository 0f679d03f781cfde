import DataLoader from 'dataloader';
import type {
  CustomerOrderStats,
  Fulfillment,
  FulfillmentLine,
  Order,
  OrderEvent,
  OrderLine,
  Payment,
  PaymentTransaction,
  Refund,
  RefundLine,
  Return,
  ReturnLine,
} from '@commerce/database';
import {
  groupByKey,
  isEmptyPage,
  keysetSql,
  readPage,
  readStoreRows,
  type PageArgs,
  type RequestContext,
} from '@commerce/graphql-kit';
import { CUSTOMER_ORDER_SORT_KEY } from './order-sort-keys.js';
import { createMetafieldLoader } from '@commerce/metafields';

/** One customer's page of orders, newest first, as `Customer.orders` asks for it. */
export interface CustomerOrdersKey {
  customerId: string;
  args: PageArgs;
}

function pageSignature(args: PageArgs): string {
  return JSON.stringify([args.first ?? null, args.after ?? null, args.last ?? null, args.before ?? null]);
}

/** The per-request DataLoaders of the order subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  const { db } = context;
  const storeId = context.store?.id ?? null;

  /**
   * At most `size + 1` orders of each customer beyond the cursor, for all customers of a batch in
   * one statement: a LATERAL subquery per customer walks the (storeId, customerId, createdAt, id)
   * index and stops after the page, so the cost follows the page size, not how many orders a
   * customer has ever placed (which ROW_NUMBER() over each customer's orders would read in full).
   */
  async function customerOrderPages(customerIds: string[], args: PageArgs): Promise<Map<string, Order[]>> {
    const page = readPage(args, CUSTOMER_ORDER_SORT_KEY);
    const byCustomer = new Map<string, Order[]>(customerIds.map((id) => [id, []]));
    if (!storeId || isEmptyPage(page)) return byCustomer;
    const keyset = keysetSql(page, CUSTOMER_ORDER_SORT_KEY);
    const rows = await db.read(
      (tx) => tx.$queryRaw<Order[]>`
        SELECT o.*
        FROM unnest(${customerIds}::uuid[]) AS customer("id")
        CROSS JOIN LATERAL (
          SELECT * FROM "Order"
          WHERE "storeId" = ${storeId}::uuid AND "customerId" = customer."id" AND ${keyset.where}
          ORDER BY ${keyset.orderBy}
          LIMIT ${keyset.limit}
        ) o`,
    );
    for (const row of rows) if (row.customerId) byCustomer.get(row.customerId)?.push(row);
    return byCustomer;
  }

  return {
    /** The orders' custom-field values the caller may see. */
    orderMetafields: createMetafieldLoader(context, 'ORDER'),
    orderById: new DataLoader<string, Order | null>(async (ids) => {
      const orders = await readStoreRows(context, (tx, storeId) =>
        tx.order.findMany({ where: { storeId, id: { in: [...ids] } } }),
      );
      const byId = new Map(orders.map((order) => [order.id, order]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Lines have no position column: they come in the order they were written, the id breaking ties. */
    linesByOrder: new DataLoader<string, OrderLine[]>(async (orderIds) => {
      const lines = await readStoreRows(context, (tx, storeId) =>
        tx.orderLine.findMany({
          where: { storeId, orderId: { in: [...orderIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      );
      return groupByKey(orderIds, lines, (line) => line.orderId);
    }),
    /** Customers asking for the same page share one statement; different pages (aliases) get one each. */
    customerOrders: new DataLoader<CustomerOrdersKey, Order[], string>(
      async (keys) => {
        const groups = new Map<string, { args: PageArgs; customerIds: string[] }>();
        for (const { customerId, args } of keys) {
          const signature = pageSignature(args);
          const group = groups.get(signature) ?? { args, customerIds: [] };
          group.customerIds.push(customerId);
          groups.set(signature, group);
        }
        const pages = new Map(
          await Promise.all(
            [...groups].map(
              async ([signature, group]) =>
                [signature, await customerOrderPages(group.customerIds, group.args)] as const,
            ),
          ),
        );
        return keys.map(({ customerId, args }) => pages.get(pageSignature(args))?.get(customerId) ?? []);
      },
      { cacheKeyFn: ({ customerId, args }) => `${customerId}:${pageSignature(args)}` },
    ),
    /** Each customer's order statistics (kept by checkout and refunds), or null before a first order. */
    statsByCustomer: new DataLoader<string, CustomerOrderStats | null>(async (customerIds) => {
      const rows = await readStoreRows(context, (tx, storeId) =>
        tx.customerOrderStats.findMany({ where: { storeId, customerId: { in: [...customerIds] } } }),
      );
      return customerIds.map((id) => rows.find((row) => row.customerId === id) ?? null);
    }),
    orderCountByCustomer: new DataLoader<string, number>(async (customerIds) => {
      const counts = await readStoreRows(context, (tx, storeId) =>
        tx.order.groupBy({
          by: ['customerId'],
          where: { storeId, customerId: { in: [...customerIds] } },
          _count: { _all: true },
        }),
      );
      return customerIds.map((id) => counts.find((count) => count.customerId === id)?._count._all ?? 0);
    }),
  };
}

export type OrderLoaders = ReturnType<typeof createLoaders>;

/** Groups rows by their order, in the order of `orderIds`. */
function byOrder<Row extends { orderId: string }>(orderIds: readonly string[], rows: readonly Row[]): Row[][] {
  return groupByKey(orderIds, rows, (row) => row.orderId);
}

const OLDEST_FIRST = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/** The per-request loaders of an order's timeline, shipments, refunds and payments: one batch each. */
export function createOrderDetailLoaders(context: RequestContext) {
  return {
    eventsByOrder: new DataLoader<string, OrderEvent[]>(async (orderIds) =>
      byOrder(
        orderIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.orderEvent.findMany({ where: { storeId, orderId: { in: [...orderIds] } }, orderBy: OLDEST_FIRST }),
        ),
      ),
    ),
    fulfillmentsByOrder: new DataLoader<string, (Fulfillment & { lines: FulfillmentLine[] })[]>(async (orderIds) =>
      byOrder(
        orderIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.fulfillment.findMany({
            where: { storeId, orderId: { in: [...orderIds] } },
            orderBy: OLDEST_FIRST,
            include: { lines: true },
          }),
        ),
      ),
    ),
    refundsByOrder: new DataLoader<string, (Refund & { lines: RefundLine[] })[]>(async (orderIds) =>
      byOrder(
        orderIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.refund.findMany({
            where: { storeId, orderId: { in: [...orderIds] } },
            orderBy: OLDEST_FIRST,
            include: { lines: true },
          }),
        ),
      ),
    ),
    returnsByOrder: new DataLoader<string, (Return & { lines: ReturnLine[] })[]>(async (orderIds) =>
      byOrder(
        orderIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.return.findMany({
            where: { storeId, orderId: { in: [...orderIds] } },
            orderBy: OLDEST_FIRST,
            include: { lines: { orderBy: OLDEST_FIRST } },
          }),
        ),
      ),
    ),
    /** Returns by key, for the refunds that settled them. */
    returnById: new DataLoader<string, (Return & { lines: ReturnLine[] }) | null>(async (ids) => {
      const rows = await readStoreRows(context, (tx, storeId) =>
        tx.return.findMany({
          where: { storeId, id: { in: [...ids] } },
          include: { lines: { orderBy: OLDEST_FIRST } },
        }),
      );
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    }),
    refundsByReturn: new DataLoader<string, (Refund & { lines: RefundLine[] })[]>(async (returnIds) =>
      groupByKey(
        returnIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.refund.findMany({
            where: { storeId, returnId: { in: [...returnIds] } },
            orderBy: OLDEST_FIRST,
            include: { lines: true },
          }),
        ),
        (refund) => refund.returnId ?? '',
      ),
    ),
    paymentsByOrder: new DataLoader<string, (Payment & { transactions: PaymentTransaction[] })[]>(async (orderIds) =>
      byOrder(
        orderIds,
        await readStoreRows(context, (tx, storeId) =>
          tx.payment.findMany({
            where: { storeId, orderId: { in: [...orderIds] } },
            orderBy: OLDEST_FIRST,
            include: { transactions: { orderBy: OLDEST_FIRST } },
          }),
        ),
      ),
    ),
  };
}
