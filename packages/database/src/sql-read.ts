// A read defined once as an SQL expression and the decoder of its value, so that the same read
// runs alone (selectRead) or as one column of a statement that reads more (checkout reads the
// cart, the prices and the stock in one statement): `SELECT ${read.sql} AS "x", …`, then
// `read.decode(row.x)`.
import { Prisma } from './__generated__/prisma/client.js';
import type { RawSql } from './sql-transaction.js';

/** One read: an SQL expression (usually jsonb) and how to turn its value into T. */
export interface SqlRead<T> {
  readonly sql: Prisma.Sql;
  decode(value: unknown): T;
}

/** Runs a read on its own: one statement. */
export async function selectRead<T>(tx: RawSql, read: SqlRead<T>): Promise<T> {
  const [row] = await tx.$queryRaw<{ value: unknown }[]>(Prisma.sql`SELECT ${read.sql} AS "value"`);
  return read.decode(row?.value ?? null);
}
