/** Resolver parents of this subgraph's types (see codegen.ts). */

/** The request's store; `id` is its key (checked by `storeReferenceKey`). */
export type StoreParent = { id: string };
