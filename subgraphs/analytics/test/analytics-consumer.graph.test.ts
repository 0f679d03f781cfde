import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import {
  analyticsCaughtUp,
  appDatabase,
  createStore,
  insertOrder,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { applyBatch, poolSql, rebuildInTransaction, type StoreSql } from '../src/read-models/index.js';

let graph: SharedTestGraph;
let owner: PrismaClient;
let database: StoreSql;
let closeApp: () => Promise<void>;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
  const app = appDatabase();
  database = poolSql(app.prisma);
  closeApp = () => app.disconnect();
});
afterAll(async () => {
  await closeApp();
  await owner.$disconnect();
  await graph.close();
});

/** Every rollup row of the store, as plain values. */
async function rollups(store: TestStore) {
  const storeId = keyOf(store.id);
  const plain = (rows: object[]) => JSON.parse(JSON.stringify(rows)) as unknown;
  return {
    days: plain(await owner.analyticsDailySales.findMany({ where: { storeId }, orderBy: { day: 'asc' } })),
    products: plain(
      await owner.analyticsProductDaily.findMany({
        where: { storeId },
        orderBy: [{ day: 'asc' }, { productId: 'asc' }],
      }),
    ),
    buyers: plain(await owner.analyticsBuyer.findMany({ where: { storeId }, orderBy: { buyerKey: 'asc' } })),
    buyerDays: plain(
      await owner.analyticsBuyerDaily.findMany({
        where: { storeId },
        orderBy: [{ day: 'asc' }, { buyerKey: 'asc' }],
      }),
    ),
  };
}

const PRODUCT = '00000000-0000-4000-8000-000000000001';

async function history(store: TestStore): Promise<void> {
  const lines = [{ title: 'Widget', quantity: 2, unitPrice: '12.50', productId: toGlobalId('Product', PRODUCT) }];
  await insertOrder(owner, store, { email: 'Ada@Example.com', createdAt: new Date('2026-03-01T10:00:00Z'), lines });
  await insertOrder(owner, store, {
    email: 'ada@example.com',
    createdAt: new Date('2026-03-02T10:00:00Z'),
    lines,
    totalRefunded: '5.00',
  });
  await insertOrder(owner, store, {
    email: 'bob@example.com',
    createdAt: new Date('2026-03-02T11:00:00Z'),
    lines,
    status: 'CANCELLED',
  });
}

describe('the analytics consumer', () => {
  it('applies each event once: a batch run again, or several at once, changes nothing more', async () => {
    const store = await createStore(graph.client);
    await history(store);
    const storeId = keyOf(store.id);
    // Several consumers at once: they take turns on the cursor, and only the first finds the events.
    const batches = await Promise.all(
      [1, 2, 3].map(() => database.transaction(storeId, (sql) => applyBatch(sql, storeId, 500))),
    );
    expect(batches.filter((batch) => batch.events > 0).length).toBeLessThanOrEqual(1);
    await analyticsCaughtUp(owner, store);
    const once = await rollups(store);
    const again = await database.transaction(storeId, (sql) => applyBatch(sql, storeId, 500));
    expect(again.events).toBe(0);
    expect(await rollups(store)).toEqual(once);

    expect(once.days).toMatchObject([
      { day: '2026-03-01T00:00:00.000Z', grossSales: '25', ordersCount: 1, ordersPlaced: 1 },
      { day: '2026-03-02T00:00:00.000Z', grossSales: '25', refunds: '5', ordersCount: 1, ordersPlaced: 2 },
    ]);
    expect(once.buyers).toMatchObject([
      { buyerKey: 'email:ada@example.com', ordersCount: 2, netSales: '45' },
      { buyerKey: 'email:bob@example.com', ordersCount: 0, netSales: '0' },
    ]);
    // Each buyer-day knows the buyer's day before and lifetime figures; bob's cancelled day is gone.
    expect(once.buyerDays).toMatchObject([
      {
        day: '2026-03-01T00:00:00.000Z',
        buyerKey: 'email:ada@example.com',
        previousDay: null,
        firstDay: '2026-03-01T00:00:00.000Z',
        lifetimeOrders: 2,
        lifetimeNetSales: '45',
      },
      {
        day: '2026-03-02T00:00:00.000Z',
        buyerKey: 'email:ada@example.com',
        previousDay: '2026-03-01T00:00:00.000Z',
        firstDay: '2026-03-01T00:00:00.000Z',
        lifetimeOrders: 2,
        lifetimeNetSales: '45',
      },
    ]);
  });

  it('a rebuild from the orders gives the rollups the events gave, and sets the cursor', async () => {
    const store = await createStore(graph.client);
    await history(store);
    await analyticsCaughtUp(owner, store);
    const fromEvents = await rollups(store);
    const storeId = keyOf(store.id);
    const sequence = await database.transaction(storeId, (sql) => rebuildInTransaction(sql, storeId));
    expect(await rollups(store)).toEqual(fromEvents);
    const counter = await owner.storeCounter.findUniqueOrThrow({ where: { storeId } });
    expect(sequence).toBe(counter.lastEventSequence);
  });

  it('when the events it needs are gone, the store is rebuilt from its orders', async () => {
    const store = await createStore(graph.client);
    await history(store);
    await analyticsCaughtUp(owner, store);
    const fromEvents = await rollups(store);
    const storeId = keyOf(store.id);
    // As if the outbox had pruned the store's first events before its rollups were ever kept.
    await owner.$transaction([
      owner.outboxEvent.deleteMany({ where: { storeId, sequence: { lte: 2n } } }),
      owner.analyticsCursor.update({ where: { storeId }, data: { lastSequence: 0n } }),
      owner.analyticsDailySales.deleteMany({ where: { storeId } }),
      owner.analyticsProductDaily.deleteMany({ where: { storeId } }),
      owner.analyticsBuyer.deleteMany({ where: { storeId } }),
      owner.analyticsBuyerDaily.deleteMany({ where: { storeId } }),
    ]);
    await analyticsCaughtUp(owner, store);
    expect(await rollups(store)).toEqual(fromEvents);
  });

  it('a rebuild while orders are placed counts each order once', async () => {
    const store = await createStore(graph.client);
    const storeId = keyOf(store.id);
    await history(store);
    const placing = Array.from({ length: 8 }, (_, index) =>
      insertOrder(owner, store, {
        email: `buyer${index % 3}@example.com`,
        createdAt: new Date(`2026-03-0${(index % 3) + 1}T12:00:00Z`),
        lines: [{ title: 'Widget', quantity: 1, unitPrice: '3.00', productId: toGlobalId('Product', PRODUCT) }],
      }),
    );
    const rebuilding = [1, 2].map(() => database.transaction(storeId, (sql) => rebuildInTransaction(sql, storeId)));
    await Promise.all([...placing, ...rebuilding]);
    await analyticsCaughtUp(owner, store);
    const kept = await rollups(store);
    await database.transaction(storeId, (sql) => rebuildInTransaction(sql, storeId));
    expect(await rollups(store)).toEqual(kept);
    expect((kept.days as { ordersPlaced: number }[]).reduce((sum, day) => sum + day.ordersPlaced, 0)).toBe(11);
  });

  it('pnpm analytics:rebuild recomputes a store and tells how far its figures are', async () => {
    const store = await createStore(graph.client);
    await history(store);
    await analyticsCaughtUp(owner, store);
    const fromEvents = await rollups(store);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'subgraphs/analytics/src/read-models/rebuild-cli.ts', '--store', store.slug],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl') } },
    );
    const counter = await owner.storeCounter.findUniqueOrThrow({ where: { storeId: keyOf(store.id) } });
    expect(stdout.trim()).toBe(`${store.slug}: rebuilt, as of event ${counter.lastEventSequence}`);
    expect(await rollups(store)).toEqual(fromEvents);
  }, 30_000);
});
