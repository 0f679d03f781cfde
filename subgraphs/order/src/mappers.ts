import type { Order, OrderLine } from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types (see codegen.ts). */
export type StoreParent = { id: string };
export type CustomerParent = { id: string };
export type ProductParent = { id: string };
export type ProductVariantParent = { id: string };
export type OrderParent = Order;
export type OrderLineParent = OrderLine;
export type OrderConnectionParent = Connection<Order>;
export type OrderEdgeParent = Edge<Order>;
