import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  keyOf,
  ownerPrisma,
  startTestGraph,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  checkout,
  createCart,
  insertCustomer,
  insertShippingZone,
  placeOrder,
  stockedProductInput,
  type InsertedCustomer,
} from '@commerce/testkit/checkout-kit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const APPLY = `mutation ($cartId: ID!, $points: Int!) {
  cartLoyaltyPointsApply(cartId: $cartId, points: $points) {
    cart { loyaltyPoints cost { subtotal { amount } discounts { amount } shipping { amount } loyaltyDiscount { amount } total { amount } } }
    userErrors { field code }
  }
}`;
const LOYALTY = `query {
  currentCustomer { loyalty { points transactions(first: 20) { nodes { kind points orderId } } } }
}`;
const ORDER = `query ($id: ID!) { order(id: $id) { total { amount } loyaltyPointsRedeemed loyaltyDiscount { amount } } }`;
const CANCEL = `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { userErrors { code } } }`;

const staffOf = (store: TestStore) => ({ token: store.owner.accessToken, store: store.slug });

/** A store with a programme (a point is worth 0.01, no earning) and a customer holding `points`. */
async function setUp(
  points: number,
  enabled = true,
): Promise<{ store: TestStore; variantId: string; customer: InsertedCustomer }> {
  const store = await createStore(graph.client);
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '5.00' }]);
  const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 50 }]));
  const data = await graph.client.data(
    `mutation ($input: LoyaltyProgramUpdateInput!) { loyaltyProgramUpdate(input: $input) { userErrors { code } } }`,
    { input: { enabled, pointsPerUnit: '0', unitValue: '0.01', tiers: [] } },
    staffOf(store),
  );
  expect(data.loyaltyProgramUpdate.userErrors).toEqual([]);
  const customer = await insertCustomer(owner, store);
  if (points > 0) {
    const storeId = keyOf(store.id);
    await owner.$executeRaw`INSERT INTO "LoyaltyTransaction" ("storeId", "customerId", "kind", "points")
      VALUES (${storeId}::uuid, ${customer.key}::uuid, 'ADJUST', ${points}::int)`;
    await owner.$executeRaw`INSERT INTO "LoyaltyBalance" ("storeId", "customerId", "points")
      VALUES (${storeId}::uuid, ${customer.key}::uuid, ${points}::int)`;
  }
  return { store, variantId: product.variants[0]?.id ?? '', customer };
}

async function apply(store: TestStore, cartId: string, points: number, token?: string) {
  const data = await graph.client.data(APPLY, { cartId, points }, { store: store.slug, token });
  return data.cartLoyaltyPointsApply;
}

async function loyaltyOf(store: TestStore, customer: InsertedCustomer) {
  const data = await graph.client.data(LOYALTY, {}, { store: store.slug, token: customer.accessToken });
  return data.currentCustomer.loyalty;
}

async function ledgerSum(store: TestStore, customer: InsertedCustomer): Promise<number> {
  const rows = await owner.$queryRaw<{ sum: number }[]>`
    SELECT coalesce(sum("points"), 0)::int AS "sum" FROM "LoyaltyTransaction"
    WHERE "storeId" = ${keyOf(store.id)}::uuid AND "customerId" = ${customer.key}::uuid`;
  return rows[0]?.sum ?? 0;
}

describe('loyalty redemption at checkout', () => {
  it('prices applied points exactly, debits them once at checkout, and gives them back on cancellation', async () => {
    const { store, variantId, customer } = await setUp(200);
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    const applied = await apply(store, cart.id, 150, customer.accessToken);
    expect(applied.userErrors).toEqual([]);
    expect(applied.cart.loyaltyPoints).toBe(150);
    expect(applied.cart.cost.loyaltyDiscount.amount).toBe('1.50');

    const order = await placeOrder(graph.client, store, cart.id, {
      token: customer.accessToken,
      email: customer.email,
    });
    // 20.00 + 5.00 shipping − 1.50.
    expect(order.total.amount).toBe('23.50');
    const placed = await graph.client.data(ORDER, { id: order.id }, { store: store.slug, token: customer.accessToken });
    expect(placed.order).toEqual({
      total: { amount: '23.50' },
      loyaltyPointsRedeemed: 150,
      loyaltyDiscount: { amount: '1.50' },
    });
    const after = await loyaltyOf(store, customer);
    expect(after.points).toBe(50);
    expect(after.transactions.nodes.filter((node: { kind: string }) => node.kind === 'REDEEM')).toEqual([
      { kind: 'REDEEM', points: -150, orderId: order.id },
    ]);
    expect(await ledgerSum(store, customer)).toBe(50);

    const cancel = await graph.client.data(
      CANCEL,
      { input: { orderId: order.id, reason: 'changed mind' } },
      staffOf(store),
    );
    expect(cancel.orderCancel.userErrors).toEqual([]);
    expect((await loyaltyOf(store, customer)).points).toBe(200);
    expect(await ledgerSum(store, customer)).toBe(200);
  });

  it('never takes off more than is payable, and 0 removes the points', async () => {
    const { store, variantId, customer } = await setUp(5000);
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    const all = await apply(store, cart.id, 5000, customer.accessToken);
    // 50.00 of points, 20.00 payable (no shipping address yet).
    expect(all.cart.cost).toMatchObject({ loyaltyDiscount: { amount: '20.00' }, total: { amount: '0.00' } });
    // At checkout (25.00 with shipping) only the 2500 points the total takes are redeemed.
    const other = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    expect((await apply(store, other.id, 5000, customer.accessToken)).userErrors).toEqual([]);
    const order = await placeOrder(graph.client, store, other.id, {
      token: customer.accessToken,
      email: customer.email,
    });
    expect(order.total.amount).toBe('0.00');
    expect((await loyaltyOf(store, customer)).points).toBe(2500);
    expect(await ledgerSum(store, customer)).toBe(2500);
    const none = await apply(store, cart.id, 0, customer.accessToken);
    expect(none.cart.loyaltyPoints).toBe(0);
    expect(none.cart.cost).toMatchObject({ loyaltyDiscount: { amount: '0.00' }, total: { amount: '20.00' } });
  });

  it('refuses more points than the balance, a guest cart and a store without an enabled programme', async () => {
    const { store, variantId, customer } = await setUp(100);
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    expect((await apply(store, cart.id, 101, customer.accessToken)).userErrors).toEqual([
      { field: ['points'], code: 'INSUFFICIENT_POINTS' },
    ]);
    const guestCart = await createCart(graph.client, store, [{ variantId, quantity: 1 }]);
    expect((await apply(store, guestCart.id, 10)).userErrors).toEqual([
      { field: ['cartId'], code: 'LOYALTY_NOT_AVAILABLE' },
    ]);

    const off = await setUp(100, false);
    const offCart = await createCart(
      graph.client,
      off.store,
      [{ variantId: off.variantId, quantity: 1 }],
      off.customer.accessToken,
    );
    expect((await apply(off.store, offCart.id, 10, off.customer.accessToken)).userErrors).toEqual([
      { field: ['cartId'], code: 'LOYALTY_NOT_AVAILABLE' },
    ]);
  });

  it("another customer's cart is not found", async () => {
    const { store, variantId, customer } = await setUp(100);
    const stranger = await insertCustomer(owner, store);
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    const response = await graph.client.execute(
      APPLY,
      { cartId: cart.id, points: 10 },
      { store: store.slug, token: stranger.accessToken },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('two checkouts with the same points at once: one redeems them, the other is refused and writes nothing', async () => {
    const { store, variantId, customer } = await setUp(300);
    const carts = [];
    for (let index = 0; index < 2; index++) {
      const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
      expect((await apply(store, cart.id, 300, customer.accessToken)).userErrors).toEqual([]);
      carts.push(cart);
    }
    const responses = await Promise.all(
      carts.map((cart) =>
        checkout(graph.client, store, cart.id, { token: customer.accessToken, email: customer.email }),
      ),
    );
    const payloads = responses.map((response) => response.data?.checkoutComplete);
    expect(payloads.filter((payload) => payload?.order).length).toBe(1);
    const refusedPayload = payloads.find((payload) => !payload?.order);
    expect(refusedPayload?.userErrors.map((error: { code: string }) => error.code)).toEqual(['INSUFFICIENT_POINTS']);
    const loyalty = await loyaltyOf(store, customer);
    expect(loyalty.points).toBe(0);
    expect(await ledgerSum(store, customer)).toBe(0);
    expect(loyalty.transactions.nodes.filter((node: { kind: string }) => node.kind === 'REDEEM').length).toBe(1);
    const orders = await owner.order.count({ where: { storeId: keyOf(store.id) } });
    expect(orders).toBe(1);
  });
});
