import type { Order, OrderLine } from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types (see codegen.ts). */

/** The request's store; `id` is its key (checked by `storeReferenceKey`). */
export type StoreParent = { id: string };
/** A customer reference; `id` is the global id, as the customer subgraph resolves it. */
export type CustomerParent = { id: string };
/** A product reference (global id) that the catalog resolves. */
export type ProductParent = { id: string };
/** A variant reference (global id) that the catalog resolves. */
export type ProductVariantParent = { id: string };
export type OrderParent = Order;
/** A line with its order's currency, which its Money fields are in. */
export type OrderLineParent = OrderLine & { currencyCode: string };
export type OrderConnectionParent = Connection<Order>;
export type OrderEdgeParent = Edge<Order>;
