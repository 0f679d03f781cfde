/** Resolver parents of this subgraph's types (see codegen.ts). */
export type StoreParent = { id: string };
