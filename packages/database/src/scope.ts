import { Prisma } from './__generated__/prisma/client.js';

/** Who a unit of work acts for: a store (tenant) and/or a seller at platform scope. */
export interface Scope {
  storeId?: string | null;
  sellerId?: string | null;
}

/**
 * The first statement of every tenant transaction: the transaction-local settings that the
 * row-level security policies compare with (an unset store matches no tenant row), and a
 * statement timeout when given. app_set_scope sets them with SET LOCAL, the one form Citus
 * forwards to the nodes where the policies of distributed tables are evaluated.
 */
export function scopeSettingsSql(scope: Scope, statementTimeoutMs?: number): Prisma.Sql {
  const timeout =
    statementTimeoutMs === undefined
      ? Prisma.empty
      : Prisma.sql`, set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`;
  return Prisma.sql`SELECT app_set_scope(${scope.storeId ?? ''}, ${scope.sellerId ?? ''})${timeout}`;
}
