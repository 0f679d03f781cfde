// The statement-shape checks of the distribution contract, on sample SQL: they must catch a
// subquery that takes storeId from the row outside it, an upsert that calls now() in DO UPDATE
// and an INSERT … SELECT that returns nothing, and leave the shapes Citus routes and runs alone.
import { describe, expect, it } from 'vitest';
import { correlatedStoreIds, insertSelectsWithoutReturning, mutableUpsertSets } from './statement-shapes.js';
import type { SqlText } from './unscoped-joins.js';

const DISTRIBUTED = new Set(['Product', 'ProductVariant', 'InventoryLevel', 'Cart', 'Order']);

const sample = (sql: string, line = 1): SqlText => ({ file: 'sample.sql', line, sql });
const correlated = (sql: string, line = 1): string[] =>
  correlatedStoreIds(sample(sql, line), DISTRIBUTED).map((finding) => `${finding.line}: ${finding.problem}`);
const upserts = (sql: string): string[] =>
  mutableUpsertSets(sample(sql)).map((finding) => `${finding.line}: ${finding.problem}`);
const inserts = (sql: string): string[] =>
  insertSelectsWithoutReturning(sample(sql), DISTRIBUTED).map((finding) => `${finding.line}: ${finding.problem}`);

describe('the check for subqueries that take storeId from the row outside them', () => {
  it('flags a subquery of the select list, with the line of the equality', () => {
    const sql = `
      SELECT p."id",
             (SELECT count(*) FROM "ProductVariant" v
              WHERE v."storeId" = p."storeId" AND v."productId" = p."id") AS "variants"
      FROM "Product" p WHERE p."storeId" = $1`;
    expect(correlated(sql, 10)).toEqual([
      '13: v."storeId" = p."storeId": the subquery on "ProductVariant" takes the store from the row outside it',
    ]);
  });

  it('flags nested subqueries, LATERAL ones and EXISTS alike', () => {
    expect(
      correlated(`SELECT 1 FROM "ProductVariant" v
        CROSS JOIN LATERAL (SELECT sum(l."available") FROM "InventoryLevel" l WHERE l."storeId" = v."storeId") s
        WHERE v."storeId" = $1 AND EXISTS (
          SELECT 1 FROM "Product" p WHERE p."storeId" = v."storeId" AND (SELECT 1 FROM "Order" o WHERE p."storeId" = o."storeId") = 1)`),
    ).toHaveLength(3);
  });

  it('flags a fragment whose outer row is not in the literal', () => {
    expect(
      correlated(
        `(SELECT coalesce(jsonb_agg(to_jsonb(v)), '[]') FROM "ProductVariant" v WHERE v."storeId" = p."storeId")`,
      ),
    ).toHaveLength(1);
  });

  it("accepts the store's id, joins at one level, and reference tables", () => {
    expect(
      correlated(`SELECT p."id",
               (SELECT count(*) FROM "ProductVariant" v WHERE v."storeId" = $1 AND v."productId" = p."id"),
               (SELECT s."name" FROM "Store" s WHERE s."storeId" = p."storeId")
        FROM "Product" p JOIN "ProductVariant" v ON v."storeId" = p."storeId" AND v."productId" = p."id"
        WHERE p."storeId" = $1`),
    ).toEqual([]);
    expect(correlated(`v."storeId" = p."storeId" AND v."productId" = p."id"`)).toEqual([]);
  });
});

describe('the check for functions that are not IMMUTABLE in ON CONFLICT … DO UPDATE', () => {
  it('flags now() and CURRENT_TIMESTAMP in DO UPDATE SET, with their lines', () => {
    expect(
      upserts(`INSERT INTO "CartLine" ("storeId", "id", "updatedAt") VALUES ($1, $2, now())
        ON CONFLICT ("storeId", "id") DO UPDATE
        SET "quantity" = EXCLUDED."quantity", "lockedUntil" = now () + interval '1 minute',
            "updatedAt" = CURRENT_TIMESTAMP
        RETURNING now()`),
    ).toEqual([
      '3: ON CONFLICT … DO UPDATE calls now(), which is not IMMUTABLE',
      '4: ON CONFLICT … DO UPDATE calls CURRENT_TIMESTAMP, which is not IMMUTABLE',
    ]);
  });

  it('reads an upsert in a CTE up to its closing parenthesis, and leaves DO NOTHING alone', () => {
    expect(
      upserts(`WITH level AS (
          INSERT INTO "InventoryLevel" ("storeId", "id") VALUES ($1, $2)
          ON CONFLICT ("storeId", "id") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"
        ), moved AS (
          INSERT INTO "StockMovement" ("storeId", "createdAt") VALUES ($1, CURRENT_TIMESTAMP)
          ON CONFLICT DO NOTHING
        )
        SELECT now()`),
    ).toEqual([]);
  });
});

describe('the check for INSERT … SELECT without RETURNING or ON CONFLICT', () => {
  it('flags one in a CTE and one on its own, into distributed tables only', () => {
    expect(
      inserts(`WITH moved AS (
          INSERT INTO "InventoryLevel" ("storeId", "available") SELECT $1, n FROM unnest($2::int[]) AS n
        ), logged AS (
          INSERT INTO "Store" ("id") SELECT $1
        )
        INSERT INTO public."Order" ("storeId", "number") SELECT $1, (SELECT count(*) FROM moved)`),
    ).toEqual([
      '2: INSERT … SELECT into "InventoryLevel" has neither RETURNING nor ON CONFLICT',
      '6: INSERT … SELECT into "Order" has neither RETURNING nor ON CONFLICT',
    ]);
  });

  it('accepts RETURNING, ON CONFLICT, and INSERT … VALUES with a subquery', () => {
    expect(
      inserts(`WITH moved AS (
          INSERT INTO "InventoryLevel" ("storeId", "available") SELECT $1, n FROM unnest($2::int[]) AS n RETURNING 1
        ), lines AS (
          INSERT INTO "Cart" ("storeId", "id") SELECT $1, $2 ON CONFLICT DO NOTHING
        )
        INSERT INTO "Order" ("storeId", "number") VALUES ($1, (SELECT count(*) FROM moved))`),
    ).toEqual([]);
  });
});
