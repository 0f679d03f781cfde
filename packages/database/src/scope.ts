import { Prisma } from './__generated__/prisma/client.js';

/** Who a unit of work acts for: a store (tenant) and/or a seller at platform scope. */
export interface Scope {
  storeId?: string | null;
  sellerId?: string | null;
}

/**
 * The first statement of every tenant transaction: the transaction-local settings that the
 * row-level security policies compare with (an unset store matches no tenant row), and a
 * statement timeout when given.
 */
export function scopeSettingsSql(scope: Scope, statementTimeoutMs?: number): Prisma.Sql {
  const timeout =
    statementTimeoutMs === undefined
      ? Prisma.empty
      : Prisma.sql`, set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
  return Prisma.sql`SELECT set_config('app.store_id', ${scope.storeId ?? ''}, true), set_config('app.seller_id', ${scope.sellerId ?? ''}, true)${timeout}`;
}
