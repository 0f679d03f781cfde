import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf } from '@commerce/graphql-kit';
import { createStore, eventually, startIsolatedTestGraph, type IsolatedTestGraph } from '@commerce/testkit';
import { createStockedProduct } from '@commerce/testkit/realtime-kit';

// A database of its own: the test locks a table that every other test reads.
let graph: IsolatedTestGraph;
beforeAll(async () => {
  graph = await startIsolatedTestGraph();
});
afterAll(async () => {
  await graph.close();
});

/**
 * Sessions of the services (the app role) waiting for the lock on "Product" in this graph's
 * database to read product rows: the request's reads. Background work also waits on that lock:
 * the follower mail writer's poll names "Product" beside the outbox, so even a poll that finds no
 * event waits for the lock while the statement is planned. That session is not the request's.
 */
async function waitingForLocks(observer: pg.Client): Promise<number> {
  const result = await observer.query<{ count: number }>(
    `SELECT count(DISTINCT a.pid)::int AS count
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE NOT l.granted AND l.relation = '"Product"'::regclass
       AND a.datname = current_database() AND a.usename = 'commerce_app'
       AND ltrim(a.query, E' \\n') LIKE 'SELECT p."id", p."storeId"%'`,
  );
  return result.rows[0]?.count ?? 0;
}

describe("one request's share of the database pool", () => {
  it('holds at most 4 connections however many aliases it fans out to, and other callers are served meanwhile', async () => {
    const store = await createStore(graph.client);
    await createStockedProduct(graph.client, store);
    const locker = new pg.Client({ connectionString: graph.databaseUrl });
    const observer = new pg.Client({ connectionString: graph.databaseUrl });
    await Promise.all([locker.connect(), observer.connect()]);
    try {
      // The follower mail writer reads the new product's publication in the background, on a
      // connection of its own: it finishes first, so that the sessions waiting below are the request's.
      await eventually('the follower mail writer read the product', async () => {
        const { rows } = await observer.query<{ done: boolean }>(
          `SELECT coalesce((SELECT c."lastSequence" FROM "FollowerMailCursor" c WHERE c."storeId" = $1), 0)
                  >= (SELECT max(e."sequence") FROM "OutboxEvent" e WHERE e."storeId" = $1) AS done`,
          [keyOf(store.id, 'Store')],
        );
        return rows[0]?.done === true;
      });
      // Every read of a product now waits, holding its connection, until the lock goes.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Product" IN ACCESS EXCLUSIVE MODE');
      // 20 × (1 + 1 + 40): as many aliases as allowed, within GRAPHQL_MAX_COST.
      const heavy = graph.client.execute(
        `{ ${Array.from({ length: 20 }, (_, index) => `a${index}: store { products(first: 40) { nodes { id title } } }`).join(' ')} }`,
        {},
        { store: store.slug },
      );

      // The most connections the request holds at once, watched for a second after its first read waits.
      let held = 0;
      let until = Date.now() + 10_000;
      while (Date.now() < until) {
        const waiting = await waitingForLocks(observer);
        if (waiting > 0 && held === 0) until = Date.now() + 1_000;
        held = Math.max(held, waiting);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The pool has 10 connections; the other 6 serve everyone else.
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThanOrEqual(4);
      const other = await graph.client.execute(`{ currentSeller { email } }`, {}, { token: store.owner.accessToken });
      expect(other.data).toEqual({ currentSeller: { email: store.owner.email } });

      await locker.query('ROLLBACK');
      const answer = await heavy;
      expect(answer.errors).toBeUndefined();
      expect(
        Object.values(answer.data ?? {}).map(
          (entry) => (entry as { products: { nodes: unknown[] } }).products.nodes.length,
        ),
      ).toEqual(Array.from({ length: 20 }, () => 1));
    } finally {
      await locker.end();
      await observer.end();
    }
  });
});
