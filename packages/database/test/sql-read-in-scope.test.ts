// Reads of one statement sent in one message (readInScopeSql) answer as Prisma's interactive
// transactions do, see the scope's store only, leave no setting or transaction behind on their
// connection, and count the statements a tenant transaction counts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countStatements, inScope, openDatabase, Prisma, readInScopeSql, type Database } from '../src/index.js';

let owner: pg.Pool;
let app: Database;

beforeAll(() => {
  owner = new pg.Pool({ connectionString: inject('databaseUrl'), max: 2 });
  app = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 2 });
});

afterAll(async () => {
  await app.disconnect();
  await owner.end();
});

async function seedStoreWithProduct(label: string): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO "Store" (name, slug, "currencyCode") VALUES ($1, $2, 'EUR') RETURNING id`,
    [label, `${label}-${randomUUID().slice(0, 8)}`],
  );
  const storeId = rows[0]?.id as string;
  await owner.query(`INSERT INTO "Product" ("storeId", title, handle) VALUES ($1, 'Lamp', $2)`, [storeId, label]);
  return storeId;
}

/** A statement whose columns have every kind of value the services read. */
const kinds = (at: Date) => Prisma.sql`
  SELECT 12.50::numeric AS "amount", ARRAY[1.10, 2]::numeric[] AS "amounts", 9007199254740993::int8 AS "big", 7 AS "small",
         ${at}::timestamp(3) AS "at", ${at}::timestamptz AS "atZone", jsonb_build_object('a', 1, 'b', ARRAY['x']) AS "json",
         ARRAY['a', 'b']::text[] AS "texts", ${new Prisma.Decimal('0.1')}::numeric + 0.2 AS "sum", NULL::numeric AS "none",
         ${`it's "quoted" \\ ✓`} AS "text"`;

const handles = (db: Database, storeId: string) =>
  readInScopeSql(db, { storeId }, (tx) => tx.$queryRaw<{ handle: string }[]>`SELECT handle FROM "Product"`);

describe('reads in one message', () => {
  it('answer with the values Prisma’s transactions give, the first time on a connection and after', async () => {
    const storeId = await seedStoreWithProduct('read-values');
    const at = new Date('2026-03-04T05:06:07.089Z');
    const viaPrisma = await inScope(app.prisma, { storeId }, (tx) =>
      tx.$queryRaw<Record<string, unknown>[]>(kinds(at)),
    );
    // One connection: the first read prepares the scope's statement in its message, the others find it prepared.
    const single = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      for (let turn = 0; turn < 3; turn += 1) {
        const viaRead = await readInScopeSql(single, { storeId }, (tx) =>
          tx.$queryRaw<Record<string, unknown>[]>(kinds(at)),
        );
        expect(viaRead).toEqual(viaPrisma);
      }
    } finally {
      await single.disconnect();
    }
  });

  it('see the scope’s store only, and leave no scope on their connection', async () => {
    const a = await seedStoreWithProduct('read-a');
    const b = await seedStoreWithProduct('read-b');
    const single = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      expect(await handles(single, a)).toEqual([{ handle: 'read-a' }]);
      expect(await handles(single, b)).toEqual([{ handle: 'read-b' }]);
      expect(await readInScopeSql(single, {}, (tx) => tx.$queryRaw`SELECT handle FROM "Product"`)).toEqual([]);
      // The same connection, outside any transaction (a statement in an earlier one would see
      // now() at that transaction's start): the settings were the transaction's.
      const { rows } = await single.pool.query<{ store: string | null; alone: boolean }>(
        `SELECT current_setting('app.store_id', true) AS store, now() = statement_timestamp() AS alone`,
      );
      expect(rows[0]?.store ?? '').toBe('');
      expect(rows[0]?.alone).toBe(true);
      const direct = await single.pool.query(`SELECT handle FROM "Product"`);
      expect(direct.rows).toEqual([]);
    } finally {
      await single.disconnect();
    }
  });

  it('count the scope, the statement and COMMIT, as a tenant transaction does, and take one statement only', async () => {
    const storeId = await seedStoreWithProduct('read-count');
    const { counter } = await countStatements(() => handles(app, storeId));
    expect(counter.count).toBe(3);
    expect(counter.statements.at(-1)).toBe('COMMIT');
    await expect(
      readInScopeSql(app, { storeId }, async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await tx.$queryRaw`SELECT 2`;
      }),
    ).rejects.toThrow(/one statement/);
  });

  it('fail with the statement’s error and leave their connection usable, not inside a transaction', async () => {
    const storeId = await seedStoreWithProduct('read-fail');
    const single = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      for (let turn = 0; turn < 2; turn += 1) {
        await expect(
          readInScopeSql(single, { storeId }, (tx) => tx.$queryRaw`SELECT 1 / ${turn - turn}::int AS nothing`),
        ).rejects.toThrow(/division by zero/);
        expect(await handles(single, storeId)).toEqual([{ handle: 'read-fail' }]);
      }
      await expect(
        readInScopeSql(single, { storeId }, (tx) => tx.$queryRaw`SELECT pg_sleep(2)`, { timeout: 100 }),
      ).rejects.toThrow(/statement timeout/);
      const { rows } = await single.pool.query<{ state: string }>(`SELECT 1 AS state`);
      expect(rows).toEqual([{ state: 1 }]);
      expect(await handles(single, storeId)).toEqual([{ handle: 'read-fail' }]);
    } finally {
      await single.disconnect();
    }
  });
});
