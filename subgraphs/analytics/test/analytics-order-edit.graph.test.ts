// The rollups follow an order edit: the order.edited event counts the difference of the order's
// figures, so the figures the consumer keeps equal a rebuild from the edited order's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  analyticsCaughtUp,
  appDatabase,
  createProduct,
  createStore,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCart, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';
import { poolSql, rebuildInTransaction, type StoreSql } from '../src/read-models/index.js';

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

async function rollups(store: TestStore) {
  const storeId = keyOf(store.id);
  const plain = (rows: object[]) => JSON.parse(JSON.stringify(rows)) as unknown;
  return {
    days: plain(await owner.analyticsDailySales.findMany({ where: { storeId }, orderBy: { day: 'asc' } })),
    products: plain(
      await owner.analyticsProductDaily.findMany({
        where: { storeId, OR: [{ units: { not: 0 } }, { ordersCount: { not: 0 } }] },
        orderBy: [{ day: 'asc' }, { productId: 'asc' }],
      }),
    ),
    buyers: plain(await owner.analyticsBuyer.findMany({ where: { storeId }, orderBy: { buyerKey: 'asc' } })),
  };
}

describe('analytics after an order edit', () => {
  it('counts the edited order as it now stands, as a rebuild from the orders does', async () => {
    const store = await createStore(graph.client);
    const product = (title: string, price: string) =>
      createProduct(graph.client, store, stockedProductInput([{ price, stock: 10 }], { title }));
    const [mug, teapot, spoon] = await Promise.all([
      product('Mug', '12.00'),
      product('Teapot', '30.00'),
      product('Spoon', '4.00'),
    ]);
    const cart = await createCart(graph.client, store, [
      { variantId: mug.variants[0]!.id, quantity: 3 },
      { variantId: teapot.variants[0]!.id, quantity: 1 },
    ]);
    const order = await placeOrder(graph.client, store, cart.id);
    const options = { token: store.owner.accessToken, store: store.slug };
    const view = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { lines { id title } } }`,
      { id: order.id },
      options,
    );
    const lineOf = (title: string) => view.order.lines.find((line: { title: string }) => line.title === title).id;
    const edited = await graph.client.data(
      `mutation ($input: OrderEditInput!, $key: String!) { orderEdit(input: $input, idempotencyKey: $key) { order { total { amount } } userErrors { code } } }`,
      {
        key: unique('edit'),
        input: {
          orderId: order.id,
          addLines: [{ variantId: spoon.variants[0]!.id, quantity: 2 }],
          updateLines: [{ orderLineId: lineOf('Mug'), quantity: 5 }],
          removeLineIds: [lineOf('Teapot')],
        },
      },
      options,
    );
    expect(edited.orderEdit).toEqual({ order: { total: { amount: '68.00' } }, userErrors: [] });

    await analyticsCaughtUp(owner, store);
    const fromEvents = await rollups(store);
    expect(fromEvents.days).toMatchObject([{ grossSales: '68', total: '68', ordersCount: 1 }]);
    const units = Object.fromEntries(
      (fromEvents.products as { productId: string; units: number; ordersCount: number }[]).map((row) => [
        row.productId,
        [row.units, row.ordersCount],
      ]),
    );
    expect(units).toEqual({ [keyOf(mug.id)]: [5, 1], [keyOf(spoon.id)]: [2, 1] });
    const storeId = keyOf(store.id);
    await database.transaction(storeId, (sql) => rebuildInTransaction(sql, storeId));
    expect(await rollups(store)).toEqual(fromEvents);
  });
});
