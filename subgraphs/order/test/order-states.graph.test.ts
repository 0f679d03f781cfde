// The order states sellers use: every order status × every staff action through the graph (the
// allowed ones change the order as the status table says, the others are INVALID_TRANSITION and
// change nothing); accepting and rejecting new orders, pickup, and delivering part-shipped orders
// where the store allows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatus, PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  insertOrder,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCart, placeOrder, stockedProductInput, stockOf } from '@commerce/testkit/checkout-kit';

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

const ORDER = 'id status paymentStatus fulfillmentStatus totalRefunded { amount } events { type message }';
const USER_ERRORS = 'userErrors { field message code }';

/** Each staff action: its mutation, and the arguments it takes for an order. */
const ACTIONS = {
  confirm: { field: 'orderConfirm', input: 'OrderConfirmInput', args: {} },
  accept: { field: 'orderAccept', input: 'OrderAcceptInput', args: {} },
  reject: { field: 'orderReject', input: 'OrderRejectInput', args: { reason: 'Cannot deliver there' } },
  markReadyForPickup: { field: 'orderMarkReadyForPickup', input: 'OrderMarkReadyForPickupInput', args: {} },
  fulfil: { field: 'fulfillmentCreate', input: 'FulfillmentCreateInput', args: {} },
  deliver: { field: 'orderMarkDelivered', input: 'OrderMarkDeliveredInput', args: {} },
  cancel: { field: 'orderCancel', input: 'OrderCancelInput', args: { reason: 'Out of stock' } },
  markPaid: { field: 'orderMarkPaid', input: 'OrderMarkPaidInput', args: {} },
  capture: { field: 'orderPaymentCapture', input: 'OrderPaymentCaptureInput', args: {} },
  voidPayment: { field: 'orderPaymentVoid', input: null, args: {} },
  refund: { field: 'refundCreate', input: 'RefundCreateInput', args: { amount: '1.00', reason: 'Goodwill' } },
} as const;
type Action = keyof typeof ACTIONS;

const STATUSES: OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PROCESSING',
  'READY_FOR_PICKUP',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
];

/**
 * The expected matrix for an order whose payment is PENDING (a bank transfer not received yet):
 * the status each action leads to from each status; left out means INVALID_TRANSITION.
 */
const EXPECTED: Record<Action, Partial<Record<OrderStatus, OrderStatus>>> = {
  confirm: { PENDING: 'CONFIRMED' },
  accept: { PENDING: 'CONFIRMED' },
  reject: { PENDING: 'CANCELLED' },
  markReadyForPickup: { CONFIRMED: 'READY_FOR_PICKUP', PROCESSING: 'READY_FOR_PICKUP' },
  fulfil: { CONFIRMED: 'SHIPPED', PROCESSING: 'SHIPPED', READY_FOR_PICKUP: 'SHIPPED' },
  // PROCESSING only where the store allows delivering part-shipped orders (not this store).
  deliver: { SHIPPED: 'DELIVERED' },
  cancel: { PENDING: 'CANCELLED', CONFIRMED: 'CANCELLED', READY_FOR_PICKUP: 'CANCELLED' },
  // The payment arrives whatever the order's status, unless it was cancelled.
  markPaid: {
    PENDING: 'PENDING',
    CONFIRMED: 'CONFIRMED',
    PROCESSING: 'PROCESSING',
    READY_FOR_PICKUP: 'READY_FOR_PICKUP',
    SHIPPED: 'SHIPPED',
    DELIVERED: 'DELIVERED',
    COMPLETED: 'COMPLETED',
  },
  // Nothing was authorized or paid: nothing to capture, void or refund in any status.
  capture: {},
  voidPayment: {},
  refund: {},
};

function document(action: Action): string {
  const { field, input } = ACTIONS[action];
  const payload = `order { ${ORDER} } ${USER_ERRORS}`;
  if (action === 'voidPayment') return `mutation ($orderId: ID!) { ${field}(orderId: $orderId) { ${payload} } }`;
  if (action === 'capture' || action === 'refund')
    return `mutation ($input: ${input}!, $key: String!) { ${field}(input: $input, idempotencyKey: $key) { ${payload} } }`;
  return `mutation ($input: ${input}!) { ${field}(input: $input) { ${payload} } }`;
}

async function run(store: TestStore, action: Action, orderId: string): Promise<Record<string, any>> {
  const variables =
    action === 'voidPayment' ? { orderId } : { input: { orderId, ...ACTIONS[action].args }, key: unique('key') };
  const data = await graph.client.data(document(action), variables, {
    token: store.owner.accessToken,
    store: store.slug,
  });
  return data[ACTIONS[action].field];
}

async function setPartialDelivery(store: TestStore, enabled: boolean): Promise<void> {
  const data = await graph.client.data(
    `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { store { settings { partialDeliveryEnabled } } ${USER_ERRORS} } }`,
    { input: { settings: { partialDeliveryEnabled: enabled } } },
    { token: store.owner.accessToken, store: store.slug },
  );
  expect(data.storeConfigUpdate.store.settings.partialDeliveryEnabled).toBe(enabled);
}

describe('the status table, state by state', () => {
  it('every status × every staff action: allowed ones lead where the table says, others are INVALID_TRANSITION', async () => {
    const store = await createStore(graph.client);
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const status of STATUSES) {
      const actions = Object.keys(ACTIONS) as Action[];
      await Promise.all(
        actions.map(async (action) => {
          const order = await insertOrder(owner, store, { status, total: '20.00' });
          const payload = await run(store, action, order.id);
          const to = EXPECTED[action][status];
          expected.push(`${status} ${action} → ${to ?? 'INVALID_TRANSITION'}`);
          if (payload.userErrors.length > 0) {
            outcomes.push(`${status} ${action} → ${payload.userErrors.map((error: { code: string }) => error.code)}`);
            // A refusal names the state and changes nothing.
            expect(payload.userErrors[0].message).toMatch(new RegExp(`${status}|PENDING`));
            const row = await owner.order.findUniqueOrThrow({
              where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(order.id) } },
            });
            expect([row.status, row.paymentStatus]).toEqual([status, 'PENDING']);
          } else {
            outcomes.push(`${status} ${action} → ${payload.order.status}`);
          }
        }),
      );
    }
    expect(outcomes.sort()).toEqual(expected.sort());
  });
});

describe('accepting and rejecting new orders', () => {
  async function placed(store: TestStore): Promise<{ id: string; variantId: string }> {
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '25.00', stock: 4 }]));
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 2 }]);
    const order = await placeOrder(graph.client, store, cart.id);
    return { id: order.id, variantId: product.variants[0]!.id };
  }

  it('accepting confirms the order and tells the timeline', async () => {
    const store = await createStore(graph.client);
    const order = await placed(store);
    const accepted = await run(store, 'accept', order.id);
    expect(accepted.order.status).toBe('CONFIRMED');
    expect(accepted.order.events.at(-1)).toEqual({ type: 'ACCEPTED', message: expect.stringContaining('accepted') });
  });

  it('rejecting cancels the order, releases its stock and refunds what was paid', async () => {
    const store = await createStore(graph.client);
    const order = await placed(store);
    expect(await stockOf(owner, order.variantId)).toEqual({ available: 2, committed: 2 });
    const rejected = await run(store, 'reject', order.id);
    expect(rejected.order).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      totalRefunded: { amount: '50.00' },
    });
    expect(rejected.order.events.slice(-2)).toEqual([
      { type: 'REJECTED', message: expect.stringContaining('rejected: Cannot deliver there') },
      { type: 'REFUNDED', message: 'Refunded 50.00 EUR: order rejected.' },
    ]);
    expect(await stockOf(owner, order.variantId)).toEqual({ available: 4, committed: 0 });
    const events = await owner.outboxEvent.findMany({ where: { aggregateId: keyOf(order.id) } });
    expect(events.map((event) => event.type)).toContain('order.cancelled');
  });

  it('a rejection needs a reason', async () => {
    const store = await createStore(graph.client);
    const order = await placed(store);
    const data = await graph.client.data(
      document('reject'),
      { input: { orderId: order.id, reason: ' ' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(data.orderReject.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'reason'], code: 'BLANK' }),
    ]);
  });
});

describe('pickup and delivery', () => {
  it('an order ready for pickup is handed over (fulfilled) and delivered', async () => {
    const store = await createStore(graph.client);
    const order = await insertOrder(owner, store, { status: 'CONFIRMED', paid: true });
    const ready = await run(store, 'markReadyForPickup', order.id);
    expect(ready.order.status).toBe('READY_FOR_PICKUP');
    expect(ready.order.events.at(-1).type).toBe('READY_FOR_PICKUP');
    expect((await run(store, 'fulfil', order.id)).order.status).toBe('SHIPPED');
    expect((await run(store, 'deliver', order.id)).order).toMatchObject({
      status: 'DELIVERED',
      fulfillmentStatus: 'DELIVERED',
    });
  });

  it('a part-shipped order is marked delivered only where the store allows it', async () => {
    const store = await createStore(graph.client);
    const order = await insertOrder(owner, store, {
      status: 'CONFIRMED',
      paid: true,
      lines: [
        { title: 'Mug', quantity: 2, unitPrice: '10.00' },
        { title: 'Teapot', quantity: 1, unitPrice: '30.00' },
      ],
    });
    // Ship the mugs only, by the line's global id as a client would.
    const view = await graph.client.data(
      'query ($id: ID!) { order(id: $id) { lines { id title } } }',
      { id: order.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    const mug = view.order.lines.find((line: { title: string }) => line.title === 'Mug');
    const part = await graph.client.data(
      document('fulfil'),
      { input: { orderId: order.id, lines: [{ orderLineId: mug.id, quantity: 2 }] } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(part.fulfillmentCreate.order).toMatchObject({
      status: 'PROCESSING',
      fulfillmentStatus: 'PARTIALLY_FULFILLED',
    });

    const refused = await run(store, 'deliver', order.id);
    expect(refused.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining('partialDeliveryEnabled'),
      }),
    ]);
    await setPartialDelivery(store, true);
    const delivered = await run(store, 'deliver', order.id);
    expect(delivered.userErrors).toEqual([]);
    expect(delivered.order).toMatchObject({ status: 'DELIVERED', fulfillmentStatus: 'PARTIALLY_FULFILLED' });
  });
});
