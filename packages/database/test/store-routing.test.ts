// The check that a statement names its store, on sample statements in the forms the graph sends
// (Prisma's and its own SQL): a distributed table without a "storeId" value must be caught.
import { describe, expect, it } from 'vitest';
import { storeRoutingProblems } from './store-routing.js';

const DISTRIBUTED = new Set(['Product', 'ProductVariant', 'InventoryLevel', 'Cart', 'CartLine', 'DiscountCode']);
const problems = (sql: string) => storeRoutingProblems(sql, DISTRIBUTED);

describe('the check that a statement names its store', () => {
  it("flags Prisma's read of a relation by its parents' ids alone", () => {
    expect(
      problems(
        'SELECT "public"."ProductVariant"."id" FROM "public"."ProductVariant" WHERE "public"."ProductVariant"."productId" IN ($1,$2) OFFSET $3',
      ),
    ).toEqual(['"ProductVariant" without "storeId" = a value (or = the "storeId" of a table that has one)']);
  });

  it("accepts Prisma's conditions on storeId: equal to a parameter, or in a list of them (or of none)", () => {
    expect(
      problems(
        'SELECT "public"."Cart"."id" FROM "public"."Cart" WHERE (("public"."Cart"."storeId" = $1 AND "public"."Cart"."id" = $2) AND 1=1) LIMIT $3 OFFSET $4',
      ),
    ).toEqual([]);
    expect(
      problems(
        'SELECT "public"."CartLine"."id" FROM "public"."CartLine" WHERE ("public"."CartLine"."storeId" IN ($1) AND "public"."CartLine"."cartId" IN ($2)) OFFSET $3',
      ),
    ).toEqual([]);
    expect(
      problems(
        'SELECT "public"."CartLine"."id" FROM "public"."CartLine" WHERE ("public"."CartLine"."storeId" IN (NULL) AND "public"."CartLine"."cartId" IN (NULL)) OFFSET $1',
      ),
    ).toEqual([]);
  });

  it('flags an update or delete by id alone, and accepts them with the store', () => {
    expect(problems('UPDATE "Cart" SET "status" = $1 WHERE "id" = $2')).toEqual([
      '"Cart" without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
    expect(problems('DELETE FROM "public"."CartLine" WHERE "public"."CartLine"."cartId" = $1')).toHaveLength(1);
    expect(problems('UPDATE "Cart" SET "status" = $1 WHERE "storeId" = $2::uuid AND "id" = $3')).toEqual([]);
    expect(problems('DELETE FROM "CartLine" WHERE "storeId" = $1 AND "cartId" = $2')).toEqual([]);
  });

  it('accepts an INSERT whose columns include storeId, and flags one whose columns do not', () => {
    expect(problems('INSERT INTO "public"."Cart" ("id","storeId","status") VALUES ($1,$2,$3) RETURNING *')).toEqual([]);
    expect(problems('INSERT INTO "Cart" ("id", "status") VALUES ($1, $2)')).toEqual([
      'INSERT INTO "Cart" without "storeId" among its columns',
    ]);
  });

  it('checks the tables an INSERT … SELECT reads', () => {
    const insert = (condition: string) =>
      problems(`INSERT INTO "CartLine" ("storeId", "cartId", "variantId")
                SELECT $1::uuid, $2, v."id" FROM "ProductVariant" v WHERE ${condition}`);
    expect(insert('v."id" = ANY($3::uuid[])')).toEqual([
      '"ProductVariant" v without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
    expect(insert('v."storeId" = $1::uuid AND v."id" = ANY($3::uuid[])')).toEqual([]);
  });

  it('carries the value over storeId = storeId into joins, not into correlated subqueries, nor from nothing', () => {
    const listing = (filter: string, inner: string) => `
      SELECT p."id", (
        SELECT coalesce(jsonb_agg(to_jsonb(v)), '[]'::jsonb)
        FROM "ProductVariant" v
        JOIN "InventoryLevel" l ON l."storeId" = v."storeId" AND l."variantId" = v."id"
        WHERE v."storeId" = ${inner} AND v."productId" = p."id") AS "variants"
      FROM "Product" p
      WHERE ${filter} AND p."status" = 'ACTIVE'`;
    expect(problems(listing('p."storeId" = $1::uuid', '$1::uuid'))).toEqual([]);
    // Citus prunes the subquery's shards by its own conditions: the outer row's store does not route it.
    expect(problems(listing('p."storeId" = $1::uuid', 'p."storeId"'))).toEqual([
      '"ProductVariant" v without "storeId" = a value (or = the "storeId" of a table that has one)',
      '"InventoryLevel" l without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
    expect(problems(listing('p."handle" = $1', 'p."storeId"'))).toEqual([
      '"ProductVariant" v without "storeId" = a value (or = the "storeId" of a table that has one)',
      '"InventoryLevel" l without "storeId" = a value (or = the "storeId" of a table that has one)',
      '"Product" p without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
  });

  it('reads each subquery on its own: one that names the store does not cover another that does not', () => {
    const sql = `SELECT jsonb_build_object(
      'variants', (SELECT count(*) FROM "ProductVariant" v WHERE v."storeId" = $1::uuid AND v."id" = ANY($2::uuid[])),
      'codes', (SELECT coalesce(jsonb_agg(to_jsonb(d)), '[]'::jsonb) FROM "DiscountCode" d WHERE d."code" = ANY($3::text[])),
      'more', (SELECT count(*) FROM "DiscountCode" d WHERE "storeId" = $1::uuid)) AS "value"`;
    expect(problems(sql)).toEqual([
      '"DiscountCode" d without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
  });

  it('reads every part of a statement with CTEs, and locking clauses are no tables', () => {
    const sql = `WITH locked AS (
        SELECT c.* FROM "Cart" c WHERE c."storeId" = $1::uuid AND c."id" = $2 FOR UPDATE OF c
      ), lines AS (
        UPDATE "InventoryLevel" l SET "committed" = l."committed" + 1 FROM locked WHERE l."variantId" = $3
        RETURNING 1
      )
      SELECT * FROM locked, "ProductVariant" v WHERE v."storeId" = $1`;
    expect(problems(sql)).toEqual([
      '"InventoryLevel" l without "storeId" = a value (or = the "storeId" of a table that has one)',
    ]);
  });

  it('leaves reference tables and statements without tables alone', () => {
    expect(problems('SELECT "public"."Store"."id" FROM "public"."Store" WHERE "public"."Store"."slug" = $1')).toEqual(
      [],
    );
    expect(problems('SELECT app_set_scope($1, $2)')).toEqual([]);
    expect(problems('COMMIT')).toEqual([]);
  });

  it('flags a call of an app_* function that is not a known platform function', () => {
    expect(problems('SELECT "storeId" FROM app_stores_with_expired_carts($1::int)')).toEqual([]);
    expect(problems('SELECT "storeId" FROM app_stores_with_expired_authorizations($1::timestamptz, $2::int)')).toEqual(
      [],
    );
    expect(problems('SELECT * FROM app_carts_of_everyone($1)')).toEqual([
      'calls app_carts_of_everyone(), which is not among the platform functions known to keep to their store or to none',
    ]);
  });
});
