import type { Order } from '@commerce/database';
import type { SortKey } from '@commerce/graphql-kit';
import type { OrderSortKeys } from './__generated__/resolvers-types.js';

/** The orders in which order connections can be listed; the row id breaks ties. */
export const ORDER_SORT_KEYS: Readonly<Record<OrderSortKeys, SortKey<Order>>> = {
  CREATED_AT: { field: 'createdAt', kind: 'date', value: (order) => order.createdAt },
  NUMBER: { field: 'number', kind: 'number', value: (order) => order.number },
  TOTAL: { field: 'total', kind: 'decimal', value: (order) => order.total },
};
