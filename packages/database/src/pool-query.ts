// Statements a process sends while nothing asks it anything: the polls of its background work and
// the /readyz probe. Prisma loads its query compiler (about 30 MB of WebAssembly and its heap) on the
// first statement it is given, raw ones included; these go to node-postgres on Prisma's own pool
// instead, so that a process waiting for traffic never loads it.
import type { Prisma } from './__generated__/prisma/client.js';
import type { Database } from './client.js';
import { preparedStatement } from './sql-transaction.js';
import { reportStatement } from './statement-count.js';

/** One statement outside any transaction, on the process's pool: rows with values as Prisma's `$queryRaw` gives them. */
export async function queryOnPool<Row>(database: Database, query: Prisma.Sql): Promise<Row[]> {
  reportStatement(query.text);
  const result = await database.pool.query(preparedStatement(database, query.text, query.values));
  return result.rows as Row[];
}
