import type { Decimal } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */

/** The request's store; `id` is its key (checked by `storeReferenceKey`). */
export type StoreParent = { id: string };
/** Sales figures with their store's currency, which their Money fields are in. */
export type SalesSummaryParent = {
  revenue: Decimal;
  ordersCount: number;
  averageOrderValue: Decimal;
  series: SalesPointParent[];
  currencyCode: string;
};
/** Sales in one interval, with their store's currency. */
export type SalesPointParent = { start: Date; revenue: Decimal; ordersCount: number; currencyCode: string };
