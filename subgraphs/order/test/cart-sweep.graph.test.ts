// The cart sweeper: expired carts of every store are cleaned up on a schedule, each store in its
// own tenant transaction, without any request to the store. On a database of its own, so that no
// other test's carts are swept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  eventually,
  signUpCustomer,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { forkGraph } from '@commerce/testkit/graph-process';
import { createCart, stockedProductInput } from '@commerce/testkit/checkout-kit';
import { sweepExpiredCarts } from '../src/services/cart-sweeper.js';

let graph: IsolatedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startIsolatedTestGraph();
  owner = graph.owner;
});
afterAll(async () => {
  await graph?.close();
});

/** In a store: an anonymous cart and a customer's cart that have expired, and a fresh anonymous cart. */
async function cartsOf(store: TestStore): Promise<{ anonymous: string; customers: string; fresh: string }> {
  const product = await createProduct(graph.client, store, stockedProductInput([{ price: '5.00', stock: 10 }]));
  const lines = [{ variantId: product.variants[0]!.id, quantity: 1 }];
  const customer = await signUpCustomer(graph.client, store);
  const carts = {
    anonymous: (await createCart(graph.client, store, lines)).id,
    customers: (await createCart(graph.client, store, lines, customer.accessToken)).id,
    fresh: (await createCart(graph.client, store, lines)).id,
  };
  await owner.cart.updateMany({
    where: { id: { in: [carts.anonymous, carts.customers] } },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  return carts;
}

async function cartStates(ids: string[]): Promise<Record<string, string>> {
  const carts = await owner.cart.findMany({ where: { id: { in: ids } } });
  return Object.fromEntries(ids.map((id) => [id, carts.find((cart) => cart.id === id)?.status ?? 'gone']));
}

describe('the cart sweeper', () => {
  it('deletes the expired anonymous carts of every store and marks expired customer carts EXPIRED; fresh carts stay', async () => {
    const stores = [await createStore(graph.client), await createStore(graph.client)];
    const carts = await Promise.all(stores.map(cartsOf));

    expect(await sweepExpiredCarts(graph.database)).toEqual({ stores: 2, deleted: 2, expired: 2 });

    for (const { anonymous, customers, fresh } of carts) {
      expect(await cartStates([anonymous, customers, fresh])).toEqual({
        [anonymous]: 'gone',
        [customers]: 'EXPIRED',
        [fresh]: 'ACTIVE',
      });
    }
    expect(await owner.cartLine.count({ where: { cartId: { in: carts.map((cart) => cart.anonymous) } } })).toBe(0);
    expect(await sweepExpiredCarts(graph.database)).toEqual({ stores: 0, deleted: 0, expired: 0 });
  });

  it('runs on its own in every order subgraph process, every CART_SWEEP_INTERVAL_MINUTES', {
    timeout: 60_000,
  }, async () => {
    const store = await createStore(graph.client);
    const { anonymous, customers, fresh } = await cartsOf(store);
    const other = await forkGraph(graph.databaseUrl, { REDIS_URL: '', CART_SWEEP_INTERVAL_MINUTES: '0.01' });
    try {
      await eventually('a sweep', async () => (await cartStates([anonymous]))[anonymous] === 'gone', 20_000);
      expect(await cartStates([anonymous, customers, fresh])).toEqual({
        [anonymous]: 'gone',
        [customers]: 'EXPIRED',
        [fresh]: 'ACTIVE',
      });
    } finally {
      await other.stop();
    }
  });
});
