// How far the store's rollups are: the figures include its events up to the cursor.
import { Prisma } from '@commerce/database';
import type { SubgraphContext } from '../context.js';

/** The last event sequence the store's rollups include, and when that event happened. */
export async function rollupsAsOf(
  context: SubgraphContext,
  storeId: string,
): Promise<{ upToSequence: string; asOf: Date | null }> {
  const [row] = await context.db.transaction((tx) =>
    tx.$queryRaw<{ upToSequence: string; asOf: Date | null }[]>(Prisma.sql`
      SELECT "lastSequence"::text AS "upToSequence", "lastEventAt" AS "asOf"
      FROM "AnalyticsCursor" WHERE "storeId" = ${storeId}::uuid`),
  );
  return row ?? { upToSequence: '0', asOf: null };
}
