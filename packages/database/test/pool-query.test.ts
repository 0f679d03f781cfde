// Statements sent on the pool without Prisma (queryOnPool: the polls and probes of an idle
// process) answer as Prisma's $queryRaw does, count as statements, and a connection the server
// ends while idle costs the process nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { countStatements, openDatabase, Prisma, queryOnPool, type Database } from '../src/index.js';

let owner: pg.Pool;
let app: Database;

beforeAll(() => {
  owner = new pg.Pool({ connectionString: inject('databaseUrl'), max: 1 });
  app = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 2 });
});

afterAll(async () => {
  await app.disconnect();
  await owner.end();
});

const VALUES = Prisma.sql`
  SELECT 12.50::numeric AS "amount", ARRAY[1.5, NULL]::numeric[] AS "amounts", 9007199254740993::int8 AS "big",
         '2026-12-07 10:00:00'::timestamp AS "at", '2026-12-07 10:00:00+01'::timestamptz AS "atZone",
         ${'a text'} AS "text", ${42}::int AS "whole", '{"a": [1, 2]}'::jsonb AS "json", true AS "flag"`;

describe('queryOnPool', () => {
  it("answers the values Prisma's $queryRaw answers", async () => {
    const fromPool = await queryOnPool<Record<string, unknown>>(app, VALUES);
    const fromPrisma = await app.prisma.$queryRaw<Record<string, unknown>[]>(VALUES);
    expect(fromPool).toEqual(fromPrisma);
    expect(fromPool[0]?.big).toBe(9007199254740993n);
    expect(String(fromPool[0]?.amount)).toBe('12.5');
  });

  it('counts each statement it sends', async () => {
    const { counter } = await countStatements(() => queryOnPool(app, Prisma.sql`SELECT 1`));
    expect(counter.statements).toEqual(['SELECT 1']);
  });

  it('keeps the process serving when the server ends an idle connection Prisma never used', async () => {
    // A handle of its own: Prisma's adapter listens for the pool's errors from its first statement only.
    const idle = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 1 });
    try {
      const [session] = await queryOnPool<{ pid: number }>(idle, Prisma.sql`SELECT pg_backend_pid() AS "pid"`);
      await owner.query('SELECT pg_terminate_backend($1)', [session?.pid]);
      // The pool hears of the end as an error event on the idle connection, and drops it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [again] = await queryOnPool<{ pid: number }>(idle, Prisma.sql`SELECT pg_backend_pid() AS "pid"`);
      expect(again?.pid).toBeGreaterThan(0);
      expect(again?.pid).not.toBe(session?.pid);
    } finally {
      await idle.disconnect();
    }
  });
});
