// The SQL statements of one checkoutComplete: a fixed number, whatever the cart holds (see the top
// of checkout.service.ts): the tenant scope, the locked cart, the snapshot of lines, prices and locked
// stock, the order with everything it writes, COMMIT.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount, type PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  keyOf,
  ownerPrisma,
  QUIET_RELAY,
  startTestGraph,
  unique,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  address,
  createCart,
  insertCustomer,
  insertShippingZone,
  insertTaxRate,
  stockedProductInput,
  stockOf,
} from '@commerce/testkit/checkout-kit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  // Statements are counted process-wide: the gateway's outbox relay must not poll meanwhile (woken by
  // commits, it works on a connection of its own, which the counts leave out).
  graph = await startTestGraph({ realtime: QUIET_RELAY });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const CHECKOUT = `mutation ($input: CheckoutCompleteInput!, $key: String!) {
  checkoutComplete(input: $input, idempotencyKey: $key) { order { number total { amount } } userErrors { code } }
}`;

async function statementsOfCheckout(
  store: TestStore,
  cartId: string,
  token?: string,
): Promise<{ statements: number; order: { number: string; total: { amount: string } } }> {
  const variables = {
    key: unique('key'),
    input: {
      cartId,
      email: `${unique('buyer')}@example.com`,
      shippingAddress: address('DE'),
      payment: { provider: 'TEST_CARD', cardNumber: '4242424242424242' },
    },
  };
  const before = processStatementCount.value;
  const data = await graph.client.data(CHECKOUT, variables, { store: store.slug, token });
  const statements = processStatementCount.value - before;
  expect(data.checkoutComplete.userErrors).toEqual([]);
  return { statements, order: data.checkoutComplete.order };
}

describe('SQL statements per checkout', () => {
  it('are five for a cart of one line and for a cart of five lines at two locations, for a guest and for a customer', async () => {
    const store = await createStore(graph.client);
    await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    await insertTaxRate(owner, store, 'DE', '0.19', true);
    const product = await createProduct(
      graph.client,
      store,
      stockedProductInput(
        ['10.00', '11.00', '12.00', '13.00', '14.00'].map((price, index) => ({ price, stock: 20, size: `S${index}` })),
      ),
    );
    // A second location holds stock of the first variant too: the order takes 20 at home and 2 there.
    const storeId = keyOf(store.id);
    const second = await owner.inventoryLocation.create({ data: { storeId, name: unique('Warehouse') } });
    await owner.inventoryLevel.create({
      data: { storeId, variantId: keyOf(product.variants[0]!.id), locationId: second.id, available: 5 },
    });
    const customer = await insertCustomer(owner, store);

    const one = await createCart(graph.client, store, [{ variantId: product.variants[1]!.id, quantity: 1 }]);
    const five = await createCart(graph.client, store, [
      { variantId: product.variants[0]!.id, quantity: 22 },
      ...product.variants.slice(1).map((variant) => ({ variantId: variant.id, quantity: 2 })),
    ]);
    const customers = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[2]!.id, quantity: 3 }],
      customer.accessToken,
    );

    const guestOne = await statementsOfCheckout(store, one.id);
    expect(guestOne).toEqual({ statements: 5, order: { number: '#1001', total: { amount: '15.90' } } });
    // 22 × 10.00 + 2 × (11 + 12 + 13 + 14) + 4.90 shipping.
    const guestFive = await statementsOfCheckout(store, five.id);
    expect(guestFive).toEqual({ statements: 5, order: { number: '#1002', total: { amount: '324.90' } } });
    const signedIn = await statementsOfCheckout(store, customers.id, customer.accessToken);
    expect(signedIn).toEqual({ statements: 5, order: { number: '#1003', total: { amount: '40.90' } } });

    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 3, committed: 22 });
    expect(await stockOf(owner, product.variants[2]!.id)).toEqual({ available: 15, committed: 5 });
  });

  it('are five too when the store only authorizes the card (manual capture)', async () => {
    const store = await createStore(graph.client);
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { paymentCaptureMode: 'MANUAL' } });
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00', stock: 5 }]));
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 2 }]);
    const placed = await statementsOfCheckout(store, cart.id);
    expect(placed).toEqual({ statements: 5, order: { number: '#1001', total: { amount: '20.00' } } });
    const order = await owner.order.findFirstOrThrow({ where: { storeId: keyOf(store.id) } });
    expect(order.paymentStatus).toBe('AUTHORIZED');
  });

  it('are five with a loyalty programme, and six when loyalty points are redeemed', async () => {
    const store = await createStore(graph.client);
    const storeId = keyOf(store.id);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00', stock: 5 }]));
    await owner.$executeRaw`INSERT INTO "LoyaltyProgram" ("storeId", "enabled", "pointsPerUnit", "unitValue")
      VALUES (${storeId}::uuid, true, 1, 0.01)`;
    const customer = await insertCustomer(owner, store);
    await owner.$executeRaw`INSERT INTO "LoyaltyTransaction" ("storeId", "customerId", "kind", "points")
      VALUES (${storeId}::uuid, ${customer.key}::uuid, 'ADJUST', 500)`;
    await owner.$executeRaw`INSERT INTO "LoyaltyBalance" ("storeId", "customerId", "points")
      VALUES (${storeId}::uuid, ${customer.key}::uuid, 500)`;
    const variantId = product.variants[0]!.id;
    const plain = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    const withPoints = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
    const applied = await graph.client.data(
      `mutation ($cartId: ID!) { cartLoyaltyPointsApply(cartId: $cartId, points: 150) { userErrors { code } } }`,
      { cartId: withPoints.id },
      { store: store.slug, token: customer.accessToken },
    );
    expect(applied.cartLoyaltyPointsApply.userErrors).toEqual([]);

    const earned = await statementsOfCheckout(store, plain.id, customer.accessToken);
    expect(earned).toEqual({ statements: 5, order: { number: '#1001', total: { amount: '10.00' } } });
    // The conditional debit of the balance is the one more statement.
    const redeemed = await statementsOfCheckout(store, withPoints.id, customer.accessToken);
    expect(redeemed).toEqual({ statements: 6, order: { number: '#1002', total: { amount: '8.50' } } });
  });
});
