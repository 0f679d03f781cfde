// A store's analytics cursor: the last outbox sequence its rollups include. Whoever changes the
// rollups holds the cursor row's lock until commit, so batches and rebuilds of a store take turns.
import { Prisma } from '@commerce/database';
import type { RunSql } from './store-sql.js';

/** Locks the store's cursor (creating it at 0) and returns where it is. */
export async function lockCursor(sql: RunSql, storeId: string): Promise<bigint> {
  const [cursor] = await sql<{ lastSequence: string }>(Prisma.sql`
    INSERT INTO "AnalyticsCursor" ("storeId") VALUES (${storeId}::uuid)
    ON CONFLICT ("storeId") DO UPDATE SET "storeId" = EXCLUDED."storeId"
    RETURNING "lastSequence"::text AS "lastSequence"`);
  return BigInt(cursor?.lastSequence ?? '0');
}
