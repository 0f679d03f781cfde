import { Prisma, type Order } from '@commerce/database';
import { prismaSortKey, type PrismaSortKey, type SqlSortKey } from '@commerce/graphql-kit';
import type { OrderSortKeys } from './__generated__/resolvers-types.js';

/** The orders in which order connections can be listed; the row id breaks ties. */
export const ORDER_SORT_KEYS: Readonly<
  Record<OrderSortKeys, PrismaSortKey<Order, Prisma.OrderWhereInput, Prisma.OrderOrderByWithRelationInput>>
> = {
  CREATED_AT: prismaSortKey({ field: 'createdAt', kind: 'date', value: (order: Order) => order.createdAt }),
  NUMBER: prismaSortKey({ field: 'number', kind: 'number', value: (order: Order) => order.number }),
  TOTAL: prismaSortKey({ field: 'total', kind: 'decimal', value: (order: Order) => order.total }),
};

/**
 * `Customer.orders`: newest first, with the cursors of CREATED_AT. The `customerOrders` loader
 * fetches its pages with SQL over "Order", for many customers in one statement.
 */
export const CUSTOMER_ORDER_SORT_KEY: SqlSortKey<Order> = {
  ...ORDER_SORT_KEYS.CREATED_AT,
  descending: true,
  sql: { value: Prisma.sql`"createdAt"`, id: Prisma.sql`"id"` },
};
