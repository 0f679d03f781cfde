import type { Transaction } from '@commerce/database';
import type { RequestContext } from './context.js';

/** Rows grouped under the keys that asked for them (a DataLoader batch's answer), in the order the rows came. */
export function groupByKey<Row>(keys: readonly string[], rows: readonly Row[], keyOf: (row: Row) => string): Row[][] {
  const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}

/** Each key's row, or null (a DataLoader batch's answer). */
export function rowByKey<Row>(
  keys: readonly string[],
  rows: readonly Row[],
  keyOf: (row: Row) => string,
): (Row | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/**
 * A loader batch's read of rows of the request's store, in the tenant transaction the batch shares
 * (ScopedDatabase.read). `work` names the store in its statement (`where: { storeId, … }`): Citus
 * sends a statement to the one shard of the store only when the statement itself names the store,
 * and row-level security adds its condition too late for that (README, Past one database: Citus).
 * A request without a store sees no store's rows: its batches answer none without a statement.
 */
export function readStoreRows<Row>(
  context: RequestContext,
  work: (tx: Transaction, storeId: string) => Promise<Row[]>,
): Promise<Row[]> {
  const { storeId } = context.db;
  return storeId ? context.db.read((tx) => work(tx, storeId)) : Promise.resolve([]);
}
