// One batch of a store's events read for its followers' new-product mail, exactly once: the
// store's FollowerMailCursor row is locked first, the events after it are read in sequence order,
// and the mails of every product.published among them and the cursor's move commit together. A
// replayed or concurrent batch finds the cursor moved on and writes nothing; the mails' idempotency
// keys (one per product and follower) back that up.
import { Prisma, type Transaction } from '@commerce/database';
import { newProductMailsSql } from '@commerce/mail';
import { loadMailStore } from '../mail/customer-mail.js';
import { storefrontBaseUrl } from '../mail/storefront-links.js';

/** What a batch did. */
export interface FollowerMailBatch {
  /** Events read (of any type), 0 when the store was up to date. */
  events: number;
  /** Mails written. */
  mails: number;
}

/**
 * Writes the new-product mails of up to `limit` of the store's events after its cursor, in the
 * store's tenant transaction `tx`. `storefrontUrl` is STOREFRONT_URL ("{store}" for the slug); the
 * store's verified custom domain comes first, as in account mail.
 */
export async function writeFollowerMailBatch(
  tx: Transaction,
  storeId: string,
  options: { limit: number; storefrontUrl: string },
): Promise<FollowerMailBatch> {
  const [cursor] = await tx.$queryRaw<{ lastSequence: bigint }[]>`
    INSERT INTO "FollowerMailCursor" ("storeId") VALUES (${storeId}::uuid)
    ON CONFLICT ("storeId") DO UPDATE SET "storeId" = EXCLUDED."storeId"
    RETURNING "lastSequence"`;
  const after = cursor?.lastSequence ?? 0n;
  const store = await loadMailStore(tx, storeId, options.storefrontUrl);
  // The followers of each product published in the batch that still is ACTIVE: accounts that are
  // active (not erased, suspended or blocked) and have not turned these mails off.
  const followers = Prisma.sql`
    SELECT f."storeId", p."id" AS "productId", f."customerId", c."email"
    FROM published_products pe
    JOIN "Product" p ON p."storeId" = pe."storeId" AND p."id" = pe."productId" AND p."status" = 'ACTIVE'
    JOIN "StoreFollow" f ON f."storeId" = p."storeId" AND f."notifyNewProducts"
    JOIN "Customer" c ON c."storeId" = f."storeId" AND c."id" = f."customerId" AND c."status" = 'ACTIVE'
    WHERE pe."storeId" = ${storeId}::uuid`;
  const [result] = await tx.$queryRaw<{ upTo: bigint | null; events: number; mails: number }[]>`
    WITH batch AS (
      SELECT e."storeId", e."sequence", e."type", e."aggregateId"
      FROM "OutboxEvent" e
      WHERE e."storeId" = ${storeId}::uuid AND e."sequence" > ${after}
      ORDER BY e."sequence"
      LIMIT ${options.limit}::int
    ), published AS MATERIALIZED (
      -- Materialized so that only product events' aggregate ids are read as uuids.
      SELECT b."storeId", b."aggregateId" AS "productKey" FROM batch b WHERE b."type" = 'product.published'
    ), published_products AS (
      SELECT pm."storeId", pm."productKey"::uuid AS "productId" FROM published pm
    ), written AS (
      ${newProductMailsSql(tx, { storeId, storefrontUrl: storefrontBaseUrl(store), followers })}
    )
    SELECT (SELECT max("sequence") FROM batch) AS "upTo", (SELECT count(*)::int FROM batch) AS "events",
      (SELECT count(*)::int FROM written) AS "mails"`;
  if (result?.upTo != null)
    await tx.$executeRaw`
      UPDATE "FollowerMailCursor" SET "lastSequence" = ${result.upTo}, "updatedAt" = now()
      WHERE "storeId" = ${storeId}::uuid`;
  return { events: result?.events ?? 0, mails: result?.mails ?? 0 };
}
