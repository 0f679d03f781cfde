import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  keyOf,
  ownerPrisma,
  startTestGraph,
  unique,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
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

const PROGRAM_UPDATE = `mutation ($input: LoyaltyProgramUpdateInput!) {
  loyaltyProgramUpdate(input: $input) {
    loyaltyProgram { enabled pointsPerUnit unitValue tiers { name minimumPoints } }
    userErrors { field code }
  }
}`;
const LOYALTY = `query {
  currentCustomer { loyalty { points earnedLastYear tier { name } transactions(first: 20) { nodes { kind points orderId } } } }
}`;
const STAFF_ORDER = {
  cancel: `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { userErrors { code } } }`,
  capture: `mutation ($input: OrderPaymentCaptureInput!, $key: String!) { orderPaymentCapture(input: $input, idempotencyKey: $key) { userErrors { code } } }`,
  refund: `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { userErrors { code } } }`,
};

const staffOf = (store: TestStore) => ({ token: store.owner.accessToken, store: store.slug });

async function storeWithProgramme(): Promise<{ store: TestStore; variantId: string; customer: InsertedCustomer }> {
  const store = await createStore(graph.client);
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '5.00' }]);
  const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 50 }]));
  const data = await graph.client.data(
    PROGRAM_UPDATE,
    {
      input: {
        enabled: true,
        pointsPerUnit: '1.5',
        unitValue: '0.01',
        tiers: [
          { name: 'Gold', minimumPoints: 100 },
          { name: 'Silver', minimumPoints: 30 },
        ],
      },
    },
    staffOf(store),
  );
  expect(data.loyaltyProgramUpdate).toEqual({
    loyaltyProgram: {
      enabled: true,
      pointsPerUnit: '1.5',
      unitValue: '0.01',
      tiers: [
        { name: 'Silver', minimumPoints: 30 },
        { name: 'Gold', minimumPoints: 100 },
      ],
    },
    userErrors: [],
  });
  const customer = await insertCustomer(owner, store);
  return { store, variantId: product.variants[0]?.id ?? '', customer };
}

async function buy(store: TestStore, variantId: string, customer: InsertedCustomer, quantity: number) {
  const cart = await createCart(graph.client, store, [{ variantId, quantity }], customer.accessToken);
  return placeOrder(graph.client, store, cart.id, { token: customer.accessToken });
}

async function loyaltyOf(store: TestStore, customer: InsertedCustomer) {
  const data = await graph.client.data(LOYALTY, {}, { store: store.slug, token: customer.accessToken });
  return data.currentCustomer.loyalty;
}

describe('loyalty', () => {
  it('a paid order earns points by its total, reaching a tier; a partial refund takes back its share, a cancellation the rest', async () => {
    const { store, variantId, customer } = await storeWithProgramme();
    // 2 × 20.00 + 5.00 shipping = 45.00, × 1.5 = 67 points (rounded down from 67.5).
    const order = await buy(store, variantId, customer, 2);
    expect(await loyaltyOf(store, customer)).toMatchObject({
      points: 67,
      earnedLastYear: 67,
      tier: { name: 'Silver' },
      transactions: { nodes: [{ kind: 'EARN', points: 67, orderId: order.id }] },
    });

    // 15.00 of 45.00 refunded: a third of 67, rounded down.
    const refund = await graph.client.data(
      STAFF_ORDER.refund,
      { input: { orderId: order.id, amount: '15.00', reason: 'damaged' }, key: unique('refund') },
      staffOf(store),
    );
    expect(refund.refundCreate.userErrors).toEqual([]);
    expect((await loyaltyOf(store, customer)).points).toBe(45);

    const cancel = await graph.client.data(
      STAFF_ORDER.cancel,
      { input: { orderId: order.id, reason: 'changed mind' } },
      staffOf(store),
    );
    expect(cancel.orderCancel.userErrors).toEqual([]);
    const after = await loyaltyOf(store, customer);
    expect(after).toMatchObject({ points: 0, earnedLastYear: 0, tier: null });
    expect(after.transactions.nodes.map((node: { kind: string; points: number }) => [node.kind, node.points])).toEqual([
      ['REVERSE', -45],
      ['REVERSE', -22],
      ['EARN', 67],
    ]);
  });

  it('the balance is the sum of the ledger after a mix of orders, refunds and cancellations', async () => {
    const { store, variantId, customer } = await storeWithProgramme();
    const orders = [];
    for (const quantity of [1, 3, 2, 4]) orders.push(await buy(store, variantId, customer, quantity));
    const [first, second, third] = orders;
    await graph.client.data(
      STAFF_ORDER.refund,
      { input: { orderId: first?.id, amount: '7.33', reason: 'late' }, key: unique('refund') },
      staffOf(store),
    );
    await graph.client.data(
      STAFF_ORDER.refund,
      { input: { orderId: second?.id, amount: '12.50', reason: 'late' }, key: unique('refund') },
      staffOf(store),
    );
    await graph.client.data(STAFF_ORDER.cancel, { input: { orderId: third?.id, reason: 'oops' } }, staffOf(store));
    const loyalty = await loyaltyOf(store, customer);
    const sum = loyalty.transactions.nodes.reduce((total: number, node: { points: number }) => total + node.points, 0);
    expect(loyalty.points).toBe(sum);
    const ledger = await owner.loyaltyTransaction.aggregate({
      where: { storeId: keyOf(store.id), customerId: customer.key },
      _sum: { points: true },
    });
    expect(ledger._sum.points).toBe(loyalty.points);
    expect(loyalty.points).toBeGreaterThan(0);
  });

  it('a customer cannot set the programme, and staff get userErrors for bad rates and tiers', async () => {
    const { store, customer } = await storeWithProgramme();
    const refused = await graph.client.execute(
      PROGRAM_UPDATE,
      { input: { enabled: true, pointsPerUnit: '1', unitValue: '0.01' } },
      { store: store.slug, token: customer.accessToken },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const invalid = await graph.client.data(
      PROGRAM_UPDATE,
      {
        input: { enabled: true, pointsPerUnit: '-1', unitValue: '0.00001', tiers: [{ name: ' ', minimumPoints: -1 }] },
      },
      staffOf(store),
    );
    expect(invalid.loyaltyProgramUpdate).toEqual({
      loyaltyProgram: null,
      userErrors: [
        { field: ['input', 'pointsPerUnit'], code: 'INVALID' },
        { field: ['input', 'unitValue'], code: 'INVALID' },
        { field: ['input', 'tiers', '0', 'name'], code: 'BLANK' },
        { field: ['input', 'tiers', '0', 'minimumPoints'], code: 'INVALID' },
      ],
    });
  });

  it('an order authorized at checkout earns nothing until it is paid in full, then once', async () => {
    const { store, variantId, customer } = await storeWithProgramme();
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { paymentCaptureMode: 'MANUAL' } });
    const order = await buy(store, variantId, customer, 1);
    expect((await loyaltyOf(store, customer)).points).toBe(0);
    const capture = (amount: string) =>
      graph.client.data(
        STAFF_ORDER.capture,
        { input: { orderId: order.id, amount }, key: unique('capture') },
        staffOf(store),
      );
    // 25.00 in all: part of it leaves the order unpaid, the rest pays it: 37 points (37.5 rounded down).
    expect((await capture('10.00')).orderPaymentCapture.userErrors).toEqual([]);
    expect((await loyaltyOf(store, customer)).points).toBe(0);
    expect((await capture('15.00')).orderPaymentCapture.userErrors).toEqual([]);
    expect(await loyaltyOf(store, customer)).toMatchObject({
      points: 37,
      transactions: { nodes: [{ kind: 'EARN', points: 37, orderId: order.id }] },
    });
  });

  it('no points without an enabled programme', async () => {
    const { store, variantId, customer } = await storeWithProgramme();
    await graph.client.data(
      PROGRAM_UPDATE,
      { input: { enabled: false, pointsPerUnit: '1.5', unitValue: '0.01' } },
      staffOf(store),
    );
    await buy(store, variantId, customer, 1);
    expect(await loyaltyOf(store, customer)).toMatchObject({ points: 0, transactions: { nodes: [] } });
  });
});
