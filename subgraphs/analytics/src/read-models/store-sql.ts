// How the read models' code reaches the database: a store's rows in one tenant transaction at a
// time, and the platform's cross-store functions outside any. The consumer works on a connection of
// its own (off the services' pool and their statement counts, like the outbox relay); the rebuild
// command works through the pool (inScope).
import type pg from 'pg';
import { inScope, OneAtATime, type Prisma, type PrismaClient } from '@commerce/database';

/** Runs one statement in the current transaction. */
export type RunSql = <Row>(query: Prisma.Sql) => Promise<Row[]>;

export interface StoreSql {
  /** Runs `work` in one tenant transaction of `storeId`. */
  transaction<T>(storeId: string, work: (sql: RunSql) => Promise<T>): Promise<T>;
  /** One statement outside any store (a SECURITY DEFINER function of the platform). */
  read<Row>(query: Prisma.Sql): Promise<Row[]>;
}

/** Through the Prisma pool; a transaction longer than `timeoutMs` is rolled back. */
export function poolSql(prisma: PrismaClient, timeoutMs = 60_000): StoreSql {
  return {
    transaction: (storeId, work) =>
      inScope(prisma, { storeId }, (tx) => work((query) => tx.$queryRaw(query)), { timeout: timeoutMs }),
    read: (query) => prisma.$queryRaw(query),
  };
}

/** On one pg connection, one transaction or read after another. */
export function sessionSql(client: pg.Client): StoreSql {
  const queue = new OneAtATime();
  return {
    transaction: (storeId, work) =>
      queue.run(async () => {
        await client.query('BEGIN');
        try {
          await client.query("SELECT app_set_scope($1, '')", [storeId]);
          const result = await work(async (query) => (await client.query(query.text, query.values)).rows);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    read: (query) => queue.run(async () => (await client.query(query.text, query.values)).rows),
  };
}
