import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaffMember,
  createProduct,
  createStore,
  ownerPrisma,
  signUpCustomer,
  sharedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import type { PrismaClient } from '@commerce/database';
import { createCart, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const STATS = `query ($id: ID!) { node(id: $id) { ... on Customer { ordersCount totalSpent { amount currencyCode } averageOrderValue { amount } lastOrderAt } } }`;

describe('customer order statistics', () => {
  it('count the orders a customer placed and what they spent, for the customer and for staff with the orders permission, not for another customer', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00', stock: 10 }]));
    const variantId = product.variants[0]?.id ?? '';
    const customer = await signUpCustomer(graph.client, store);

    const before = await graph.client.data(STATS, { id: customer.id }, { token: customer.accessToken });
    expect(before.node).toEqual({
      ordersCount: 0,
      totalSpent: { amount: '0.00', currencyCode: 'EUR' },
      averageOrderValue: null,
      lastOrderAt: null,
    });

    for (const quantity of [1, 2]) {
      const cart = await createCart(graph.client, store, [{ variantId, quantity }], customer.accessToken);
      await placeOrder(graph.client, store, cart.id, { token: customer.accessToken, email: customer.email });
    }
    const mine = await graph.client.data(STATS, { id: customer.id }, { token: customer.accessToken });
    expect(mine.node.ordersCount).toBe(2);
    expect(mine.node.lastOrderAt).toEqual(expect.any(String));
    const total = Number(mine.node.totalSpent.amount);
    expect(total).toBeGreaterThanOrEqual(30);
    expect(mine.node.averageOrderValue.amount).toBe((total / 2).toFixed(2));

    const staff = await graph.client.data(
      STATS,
      { id: customer.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(staff.node).toEqual(mine.node);

    const other = await signUpCustomer(graph.client, store);
    const stranger = await graph.client.execute(STATS, { id: customer.id }, { token: other.accessToken });
    expect(stranger.data?.node ?? null).toBeNull();

    const staffMember = await addStaffMember(graph.client, owner, store, 'STAFF');
    const staffView = await graph.client.data(
      STATS,
      { id: customer.id },
      { token: staffMember.accessToken, store: store.slug },
    );
    expect(staffView.node).toEqual(mine.node);
  });
});
