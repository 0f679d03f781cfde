import type { Seller, Store } from '@commerce/database';

/** Resolver parents of this subgraph's types (see codegen.ts). */
export type SellerParent = Seller;
export type StoreParent = Store;
