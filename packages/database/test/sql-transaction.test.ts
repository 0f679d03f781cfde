// SQL transactions (inScopeSql) answer as Prisma's interactive transactions do, hold the tenant's
// scope, and leave nothing behind when they fail.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { violatesUniqueIndex } from '@commerce/graphql-kit';
import {
  countStatements,
  inScope,
  inScopeSql,
  openDatabase,
  Prisma,
  type Database,
  type RawSql,
} from '../src/index.js';

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

async function seedStore(label: string): Promise<string> {
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO "Store" (name, slug, "currencyCode") VALUES ($1, $2, 'EUR') RETURNING id`,
    [label, `${label}-${randomUUID().slice(0, 8)}`],
  );
  return rows[0]?.id as string;
}

async function productCount(storeId: string): Promise<number> {
  const { rows } = await owner.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "Product" WHERE "storeId" = $1`,
    [storeId],
  );
  return rows[0]?.count ?? -1;
}

function insertProduct(tx: RawSql, storeId: string, handle: string): Promise<unknown> {
  return tx.$queryRaw`INSERT INTO "Product" ("storeId", title, handle) VALUES (${storeId}::uuid, 'Lamp', ${handle}) RETURNING id`;
}

/** A statement whose columns have every kind of value the services read. */
const kinds = (at: Date) => Prisma.sql`
  SELECT 12.50::numeric AS "amount", ARRAY[1.10, 2]::numeric[] AS "amounts", 9007199254740993::int8 AS "big", 7 AS "small",
         ${at}::timestamp(3) AS "at", ${at}::timestamptz AS "atZone", jsonb_build_object('a', 1, 'b', ARRAY['x']) AS "json",
         ARRAY['a', 'b']::text[] AS "texts", ${new Prisma.Decimal('0.1')}::numeric + 0.2 AS "sum", NULL::numeric AS "none", true AS "yes"`;

describe('SQL transactions', () => {
  it('answer with the values Prisma’s raw queries give, and take the same parameters', async () => {
    const storeId = await seedStore('sql-values');
    const at = new Date('2026-03-04T05:06:07.089Z');
    const viaPrisma = await inScope(app.prisma, { storeId }, (tx) =>
      tx.$queryRaw<Record<string, unknown>[]>(kinds(at)),
    );
    const viaSql = await inScopeSql(app, { storeId }, (tx) => tx.$queryRaw<Record<string, unknown>[]>(kinds(at)));
    expect(viaSql).toEqual(viaPrisma);
    const [row] = viaSql;
    expect(Prisma.Decimal.isDecimal(row?.amount)).toBe(true);
    expect(String(row?.amount)).toBe('12.5');
    expect(String(row?.sum)).toBe('0.3');
    expect(row?.big).toBe(9007199254740993n);
    expect((row?.at as Date | undefined)?.toISOString()).toBe(at.toISOString());
    expect(row?.json).toEqual({ a: 1, b: ['x'] });
  });

  it('act in the scope’s store only, as row-level security sees it', async () => {
    const a = await seedStore('sql-a');
    const b = await seedStore('sql-b');
    await inScopeSql(app, { storeId: a }, (tx) => insertProduct(tx, a, `lamp-${randomUUID()}`));
    await expect(inScopeSql(app, { storeId: a }, (tx) => insertProduct(tx, b, `lamp-${randomUUID()}`))).rejects.toThrow(
      /row-level security/,
    );
    const seen = await inScopeSql(
      app,
      { storeId: b },
      (tx) => tx.$queryRaw<{ storeId: string }[]>`SELECT "storeId" FROM "Product"`,
    );
    expect(seen).toEqual([]);
    expect([await productCount(a), await productCount(b)]).toEqual([1, 0]);
  });

  it('roll back everything when the work throws or a statement fails, and keep their connections usable', async () => {
    const storeId = await seedStore('sql-rollback');
    const refused = new Error('refused');
    await expect(
      inScopeSql(app, { storeId }, async (tx) => {
        await insertProduct(tx, storeId, 'kept-nowhere');
        throw refused;
      }),
    ).rejects.toBe(refused);
    const handle = `twice-${randomUUID()}`;
    const duplicate = await inScopeSql(app, { storeId }, async (tx) => {
      await insertProduct(tx, storeId, 'also-gone');
      await insertProduct(tx, storeId, handle);
      await insertProduct(tx, storeId, handle);
    }).catch((error: unknown) => error);
    expect(violatesUniqueIndex(duplicate, 'Product_storeId_handle_key', ['storeId', 'handle'])).toBe(true);
    expect(await productCount(storeId)).toBe(0);
    // Both connections of the pool were used by failed transactions; they still work.
    const results = await Promise.all(
      [1, 2, 3].map(() => inScopeSql(app, { storeId }, (tx) => tx.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)),
    );
    expect(results).toEqual([[{ one: 1 }], [{ one: 1 }], [{ one: 1 }]]);
  });

  it('stop a statement that runs past the timeout, and roll back', async () => {
    const storeId = await seedStore('sql-timeout');
    await expect(
      inScopeSql(
        app,
        { storeId },
        async (tx) => {
          await insertProduct(tx, storeId, 'slow');
          await tx.$queryRaw`SELECT pg_sleep(2)`;
        },
        { timeout: 200 },
      ),
    ).rejects.toThrow(/statement timeout/);
    expect(await productCount(storeId)).toBe(0);
  });

  it('count their statements as Prisma’s log does (the scope, each statement, COMMIT)', async () => {
    const storeId = await seedStore('sql-count');
    const { counter } = await countStatements(() =>
      inScopeSql(app, { storeId }, async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await tx.$queryRaw`SELECT 2`;
      }),
    );
    expect(counter.count).toBe(4);
    expect(counter.statements.at(-1)).toBe('COMMIT');
  });

  it('commit with their last statement, whose parameters arrive intact, the first time on a connection and after', async () => {
    const storeId = await seedStore('sql-commit-with');
    // One connection: the first transaction prepares the statement in the message that runs it, the second finds it prepared.
    const single = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      const tricky = [
        `it's "quoted" \\ and {braced}, with a comma`,
        null,
        'Ünïcødé ✓',
        '\'); DROP TABLE "Product"; --',
      ];
      const write = (handle: string) =>
        Prisma.sql`INSERT INTO "Product" ("storeId", title, handle, tags, "createdAt")
                   VALUES (${storeId}::uuid, ${tricky[0]}, ${handle}, ${tricky}::text[], ${new Date('2026-01-02T03:04:05.678Z')})
                   RETURNING title, tags, "createdAt", ${new Prisma.Decimal('12.345')}::numeric AS "price", ${{ a: [1, 'x'] }}::jsonb AS "meta"`;
      const answers: Record<string, unknown>[][] = [];
      for (const handle of ['first', 'second']) {
        const { counter } = await countStatements(() =>
          inScopeSql(single, { storeId }, (tx) =>
            tx.commitWith<Record<string, unknown>[]>(write(handle)).then((rows) => answers.push(rows)),
          ),
        );
        expect(counter.count).toBe(3);
      }
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[1]).toEqual([
        {
          title: tricky[0],
          tags: tricky,
          createdAt: new Date('2026-01-02T03:04:05.678Z'),
          price: new Prisma.Decimal('12.345'),
          meta: { a: [1, 'x'] },
        },
      ]);
      expect(await productCount(storeId)).toBe(2);
    } finally {
      await single.disconnect();
    }
  });

  it('write nothing when the statement sent with COMMIT fails its own check', async () => {
    const storeId = await seedStore('sql-commit-check');
    const single = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      const attempt = (holds: boolean) =>
        inScopeSql(single, { storeId }, async (tx) => {
          await insertProduct(tx, storeId, `before-${randomUUID()}`);
          return tx.commitWith(Prisma.sql`
            WITH written AS (INSERT INTO "Product" ("storeId", title, handle) VALUES (${storeId}::uuid, 'Lamp', ${`in-${randomUUID()}`}) RETURNING id)
            SELECT id FROM written WHERE app_check(${holds}, 'the plan does not hold')`);
        });
      await expect(attempt(false)).rejects.toThrow('the plan does not hold');
      await attempt(true);
      await expect(attempt(false)).rejects.toThrow('the plan does not hold');
      expect(await productCount(storeId)).toBe(2);
    } finally {
      await single.disconnect();
    }
  });
});
