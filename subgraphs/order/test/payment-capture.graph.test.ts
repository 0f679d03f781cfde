// Authorize and capture: a store with manual capture has checkout authorize card payments, and
// staff capture all or part later, void them, or let them expire; refunds take only what was
// captured, and a cancelled order that took no money says VOIDED.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, PrismaClient } from '@commerce/database';
import {
  appDatabase,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCart, placeOrder, stockedProductInput, stockOf } from '@commerce/testkit/checkout-kit';
import { voidExpiredAuthorizations } from '../src/services/authorization-sweeper.js';

let graph: SharedTestGraph;
let owner: PrismaClient;
let app: Database;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
  app = appDatabase();
});
afterAll(async () => {
  await owner.$disconnect();
  await app.disconnect();
  await graph.close();
});

const APPROVED = '4242424242424242';
const CAPTURE_DECLINED = '4000000000000341';
const ORDER = `id status paymentStatus totalPaid { amount } totalCapturable { amount } totalRefunded { amount }
  payments { status amount { amount } captured { amount } capturable { amount } transactions { kind status amount { amount } errorMessage } }`;
const USER_ERRORS = 'userErrors { field message code }';
const CAPTURE = `mutation ($input: OrderPaymentCaptureInput!, $key: String!) { orderPaymentCapture(input: $input, idempotencyKey: $key) {
  order { ${ORDER} } transaction { id kind status amount { amount } } ${USER_ERRORS} } }`;
const VOID = `mutation ($orderId: ID!) { orderPaymentVoid(orderId: $orderId) { order { ${ORDER} } ${USER_ERRORS} } }`;
const CANCEL = `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { ${ORDER} status } ${USER_ERRORS} } }`;
const MARK_PAID = `mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { order { ${ORDER} } ${USER_ERRORS} } }`;
const REFUND = `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { order { ${ORDER} } ${USER_ERRORS} } }`;
const FULFIL = `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { order { status } ${USER_ERRORS} } }`;
const CONFIRM = `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { status } ${USER_ERRORS} } }`;
const ORDER_QUERY = `query ($id: ID!) { order(id: $id) { ${ORDER} events { type message } } }`;

function asOwner(store: TestStore) {
  return { token: store.owner.accessToken, store: store.slug };
}

/** A store whose checkout only authorizes card payments, for staff to capture (or at fulfilment). */
async function manualCaptureStore(mode: 'MANUAL' | 'ON_FULFILLMENT' = 'MANUAL'): Promise<TestStore> {
  const store = await createStore(graph.client);
  const data = await graph.client.data(
    `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { store { settings { paymentCaptureMode } } ${USER_ERRORS} } }`,
    { input: { settings: { paymentCaptureMode: mode } } },
    asOwner(store),
  );
  expect(data.storeConfigUpdate).toEqual({ store: { settings: { paymentCaptureMode: mode } }, userErrors: [] });
  return store;
}

/** An order of 3 mugs at 12.00 and a teapot at 30.00 (66.00 EUR), paid with the given card or provider. */
async function order(
  store: TestStore,
  payment: { provider: string; cardNumber?: string } = { provider: 'TEST_CARD', cardNumber: APPROVED },
): Promise<{ id: string; variantId: string; [key: string]: any }> {
  const mug = await createProduct(graph.client, store, stockedProductInput([{ price: '12.00', stock: 10 }]));
  const teapot = await createProduct(graph.client, store, stockedProductInput([{ price: '30.00', stock: 5 }]));
  const cart = await createCart(graph.client, store, [
    { variantId: mug.variants[0]!.id, quantity: 3 },
    { variantId: teapot.variants[0]!.id, quantity: 1 },
  ]);
  const placed = await placeOrder(graph.client, store, cart.id, { payment });
  return { ...placed, id: placed.id as string, variantId: mug.variants[0]!.id };
}

async function capture(store: TestStore, orderId: string, amount?: string, key = unique('capture')) {
  const data = await graph.client.data(
    CAPTURE,
    { input: { orderId, ...(amount ? { amount } : {}) }, key },
    asOwner(store),
  );
  return data.orderPaymentCapture;
}

async function view(store: TestStore, orderId: string) {
  return (await graph.client.data(ORDER_QUERY, { id: orderId }, asOwner(store))).order;
}

async function outboxTypes(orderId: string): Promise<string[]> {
  const events = await owner.outboxEvent.findMany({
    where: { aggregateId: keyOf(orderId), type: { startsWith: 'order.' } },
    orderBy: { sequence: 'asc' },
  });
  return events.map((event) => event.type);
}

describe('authorize and capture', () => {
  it('checkout in a manual-capture store authorizes; staff capture in parts until the order is paid', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    expect(placed.paymentStatus).toBe('AUTHORIZED');
    expect(await view(store, placed.id)).toMatchObject({
      paymentStatus: 'AUTHORIZED',
      totalPaid: { amount: '0.00' },
      totalCapturable: { amount: '66.00' },
      payments: [
        {
          status: 'AUTHORIZED',
          amount: { amount: '66.00' },
          captured: { amount: '0.00' },
          capturable: { amount: '66.00' },
          transactions: [{ kind: 'AUTHORIZATION', status: 'SUCCESS', amount: { amount: '66.00' }, errorMessage: null }],
        },
      ],
    });

    const part = await capture(store, placed.id, '20.50');
    expect(part.userErrors).toEqual([]);
    expect(part.transaction).toMatchObject({ kind: 'CAPTURE', status: 'SUCCESS', amount: { amount: '20.50' } });
    expect(part.order).toMatchObject({
      paymentStatus: 'PARTIALLY_PAID',
      totalPaid: { amount: '20.50' },
      totalCapturable: { amount: '45.50' },
    });

    const rest = await capture(store, placed.id);
    expect(rest.userErrors).toEqual([]);
    expect(rest.order).toMatchObject({
      paymentStatus: 'PAID',
      totalPaid: { amount: '66.00' },
      totalCapturable: { amount: '0.00' },
      payments: [{ status: 'PAID', captured: { amount: '66.00' }, capturable: { amount: '0.00' } }],
    });
    const after = await view(store, placed.id);
    expect(after.events.slice(-2)).toEqual([
      { type: 'PAYMENT_CAPTURED', message: 'Captured 20.50 EUR (20.50 EUR of 66.00 EUR captured).' },
      { type: 'PAID', message: 'Captured 45.50 EUR: paid in full.' },
    ]);
    expect(await outboxTypes(placed.id)).toEqual([
      'order.created',
      'order.payment_captured',
      'order.payment_captured',
      'order.paid',
    ]);

    const again = await capture(store, placed.id, '1.00');
    expect(again.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', message: expect.stringContaining('payment is PAID') }),
    ]);
  });

  it('captures at fulfilment: a confirmed order ships, then its authorization is captured', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    await graph.client.data(CONFIRM, { input: { orderId: placed.id } }, asOwner(store));
    const shipped = await graph.client.data(FULFIL, { input: { orderId: placed.id } }, asOwner(store));
    expect(shipped.fulfillmentCreate).toMatchObject({ order: { status: 'SHIPPED' }, userErrors: [] });
    expect((await capture(store, placed.id)).order).toMatchObject({ status: 'SHIPPED', paymentStatus: 'PAID' });
  });

  it('a store that captures at fulfilment takes the payment as the last units ship', async () => {
    const store = await manualCaptureStore('ON_FULFILLMENT');
    const placed = await order(store);
    expect(placed.paymentStatus).toBe('AUTHORIZED');
    await graph.client.data(CONFIRM, { input: { orderId: placed.id } }, asOwner(store));
    const lines = await graph.client.data(
      'query ($id: ID!) { order(id: $id) { lines { id quantity } } }',
      { id: placed.id },
      asOwner(store),
    );
    const [first, second] = lines.order.lines;
    const part = await graph.client.data(
      FULFIL,
      { input: { orderId: placed.id, lines: [{ orderLineId: first.id, quantity: first.quantity }] } },
      asOwner(store),
    );
    expect(part.fulfillmentCreate).toMatchObject({ order: { status: 'PROCESSING' }, userErrors: [] });
    expect((await view(store, placed.id)).paymentStatus).toBe('AUTHORIZED');
    const rest = await graph.client.data(
      FULFIL,
      { input: { orderId: placed.id, lines: [{ orderLineId: second.id, quantity: second.quantity }] } },
      asOwner(store),
    );
    expect(rest.fulfillmentCreate).toMatchObject({ order: { status: 'SHIPPED' }, userErrors: [] });
    const paid = await view(store, placed.id);
    expect(paid).toMatchObject({
      paymentStatus: 'PAID',
      totalPaid: { amount: '66.00' },
      totalCapturable: { amount: '0.00' },
    });
    expect(paid.events.map((event: { type: string }) => event.type).slice(-2)).toEqual(['PAID', 'FULFILLED']);
    expect(await outboxTypes(placed.id)).toEqual([
      'order.created',
      'order.payment_captured',
      'order.paid',
      'order.fulfilled',
    ]);
  });

  it('a capture declined at fulfilment does not stop the shipment; the order stays authorized and says why', async () => {
    const store = await manualCaptureStore('ON_FULFILLMENT');
    const placed = await order(store, { provider: 'TEST_CARD', cardNumber: CAPTURE_DECLINED });
    await graph.client.data(CONFIRM, { input: { orderId: placed.id } }, asOwner(store));
    const shipped = await graph.client.data(FULFIL, { input: { orderId: placed.id } }, asOwner(store));
    expect(shipped.fulfillmentCreate).toMatchObject({ order: { status: 'SHIPPED' }, userErrors: [] });
    const after = await view(store, placed.id);
    expect(after).toMatchObject({ paymentStatus: 'AUTHORIZED', totalPaid: { amount: '0.00' } });
    expect(after.events.map((event: { type: string }) => event.type).slice(-2)).toEqual([
      'PAYMENT_CAPTURE_FAILED',
      'FULFILLED',
    ]);
  });

  it('a capture key answers the same capture; reused for another amount it is refused', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    const first = await capture(store, placed.id, '10.00', 'capture-once');
    const repeat = await capture(store, placed.id, '10.00', 'capture-once');
    expect(repeat.transaction.id).toBe(first.transaction.id);
    expect(repeat.order.totalPaid).toEqual({ amount: '10.00' });
    expect((await capture(store, placed.id, undefined, 'capture-once')).transaction.id).toBe(first.transaction.id);
    expect((await capture(store, placed.id, '11.00', 'capture-once')).userErrors).toEqual([
      expect.objectContaining({ field: ['idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }),
    ]);
    expect((await view(store, placed.id)).totalPaid).toEqual({ amount: '10.00' });
  });

  it('concurrent captures never take more than was authorized, and one key captures once', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    const results = await Promise.all(Array.from({ length: 8 }, () => capture(store, placed.id, '10.00')));
    const captured = results.filter((result) => result.userErrors.length === 0);
    expect(captured).toHaveLength(6);
    expect(results.flatMap((result) => result.userErrors.map((error: { code: string }) => error.code))).toEqual([
      'TOO_MUCH',
      'TOO_MUCH',
    ]);
    expect(await view(store, placed.id)).toMatchObject({
      paymentStatus: 'PARTIALLY_PAID',
      totalPaid: { amount: '60.00' },
      totalCapturable: { amount: '6.00' },
    });

    const sameKey = await Promise.all(Array.from({ length: 5 }, () => capture(store, placed.id, '6.00', 'last-part')));
    expect(new Set(sameKey.map((result) => result.transaction?.id)).size).toBe(1);
    expect(sameKey.every((result) => result.userErrors.length === 0)).toBe(true);
    const paid = await view(store, placed.id);
    expect(paid).toMatchObject({ paymentStatus: 'PAID', totalPaid: { amount: '66.00' } });
    expect(
      paid.payments[0].transactions.filter((transaction: { kind: string }) => transaction.kind === 'CAPTURE'),
    ).toHaveLength(7);
  });

  it('refuses amounts it cannot capture, field by field', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    const problems = async (amount: string | undefined, key: string) =>
      (await capture(store, placed.id, amount, key)).userErrors.map((error: { field: string[]; code: string }) => [
        error.field.join('.'),
        error.code,
      ]);
    expect(await problems('0', unique('k'))).toEqual([['input.amount', 'INVALID']]);
    expect(await problems('1.001', unique('k'))).toEqual([['input.amount', 'TOO_PRECISE']]);
    expect(await problems('66.01', unique('k'))).toEqual([['input.amount', 'TOO_MUCH']]);
    expect(await problems('1.00', ' ')).toEqual([['idempotencyKey', 'BLANK']]);
    expect((await view(store, placed.id)).totalPaid).toEqual({ amount: '0.00' });
  });

  it('a capture the card issuer declines is recorded and told; the order stays authorized', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store, { provider: 'TEST_CARD', cardNumber: CAPTURE_DECLINED });
    expect(placed.paymentStatus).toBe('AUTHORIZED');
    const declined = await capture(store, placed.id, undefined, 'declined-capture');
    expect(declined.userErrors).toEqual([expect.objectContaining({ code: 'PAYMENT_DECLINED' })]);
    expect(declined.transaction).toMatchObject({ kind: 'CAPTURE', status: 'FAILED' });
    // The same key answers the same decline; nothing was captured.
    expect((await capture(store, placed.id, undefined, 'declined-capture')).transaction.id).toBe(
      declined.transaction.id,
    );
    const after = await view(store, placed.id);
    expect(after).toMatchObject({ paymentStatus: 'AUTHORIZED', totalPaid: { amount: '0.00' } });
    expect(after.events.at(-1).type).toBe('PAYMENT_CAPTURE_FAILED');
  });

  it('voiding releases the authorization; the order can still be paid another way', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    const voided = (await graph.client.data(VOID, { orderId: placed.id }, asOwner(store))).orderPaymentVoid;
    expect(voided.userErrors).toEqual([]);
    expect(voided.order).toMatchObject({
      paymentStatus: 'VOIDED',
      totalCapturable: { amount: '0.00' },
      payments: [{ status: 'VOIDED', transactions: [{ kind: 'AUTHORIZATION' }, { kind: 'VOID', status: 'SUCCESS' }] }],
    });
    expect((await capture(store, placed.id)).userErrors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await graph.client.data(VOID, { orderId: placed.id }, asOwner(store))).orderPaymentVoid.userErrors).toEqual(
      [expect.objectContaining({ field: ['orderId'], code: 'INVALID_TRANSITION' })],
    );
    const paid = await graph.client.data(
      MARK_PAID,
      { input: { orderId: placed.id, reference: 'BANK-7' } },
      asOwner(store),
    );
    expect(paid.orderMarkPaid.order).toMatchObject({ paymentStatus: 'PAID', totalPaid: { amount: '66.00' } });
    expect(await outboxTypes(placed.id)).toEqual(['order.created', 'order.payment_voided', 'order.paid']);
  });

  it('refunds only what was captured', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    await capture(store, placed.id, '30.00');
    const refund = (amount: string) =>
      graph.client.data(
        REFUND,
        { input: { orderId: placed.id, amount, reason: 'Goodwill' }, key: unique('refund') },
        asOwner(store),
      );
    expect((await refund('30.01')).refundCreate.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'amount'], code: 'TOO_MUCH' }),
    ]);
    const refunded = (await refund('10.00')).refundCreate;
    expect(refunded.userErrors).toEqual([]);
    expect(refunded.order).toMatchObject({
      paymentStatus: 'PARTIALLY_REFUNDED',
      totalRefunded: { amount: '10.00' },
      totalPaid: { amount: '30.00' },
    });
  });

  it('cancelling voids what is held and refunds what was captured; an order that took no money ends VOIDED', async () => {
    const store = await manualCaptureStore();
    const cancel = async (orderId: string) =>
      (await graph.client.data(CANCEL, { input: { orderId, reason: 'Buyer changed their mind' } }, asOwner(store)))
        .orderCancel;

    const authorized = await order(store);
    const cancelled = await cancel(authorized.id);
    expect(cancelled.order).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'VOIDED',
      totalRefunded: { amount: '0.00' },
      payments: [{ status: 'VOIDED' }],
    });
    expect(await stockOf(owner, authorized.variantId)).toEqual({ available: 10, committed: 0 });

    const partly = await order(store);
    await capture(store, partly.id, '20.00');
    expect((await cancel(partly.id)).order).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      totalRefunded: { amount: '20.00' },
      totalCapturable: { amount: '0.00' },
    });

    const transfer = await order(store, { provider: 'MANUAL' });
    expect(transfer.paymentStatus).toBe('PENDING');
    expect((await cancel(transfer.id)).order).toMatchObject({
      paymentStatus: 'VOIDED',
      payments: [{ status: 'VOIDED' }],
    });
  });

  it('a store with automatic capture is paid at checkout, as before', async () => {
    const store = await createStore(graph.client);
    const placed = await order(store);
    expect(await view(store, placed.id)).toMatchObject({
      paymentStatus: 'PAID',
      totalPaid: { amount: '66.00' },
      totalCapturable: { amount: '0.00' },
      payments: [{ status: 'PAID', transactions: [{ kind: 'SALE', status: 'SUCCESS' }] }],
    });
    expect((await capture(store, placed.id)).userErrors[0]).toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('only staff with the orders permission capture or void', async () => {
    const store = await manualCaptureStore();
    const placed = await order(store);
    const customer = await signUpCustomer(graph.client, store);
    const response = await graph.client.execute(
      CAPTURE,
      { input: { orderId: placed.id }, key: unique('k') },
      { token: customer.accessToken, store: store.slug },
    );
    // Customers are no staff: the staff mutations ask for a seller's sign-in.
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    const voidResponse = await graph.client.execute(VOID, { orderId: placed.id }, { store: store.slug });
    expect(errorCodes(voidResponse)).toEqual(['UNAUTHENTICATED']);
    expect((await view(store, placed.id)).paymentStatus).toBe('AUTHORIZED');
  });
});

describe('expired authorizations', () => {
  it('the sweep voids authorizations older than the expiry and leaves fresh ones', async () => {
    const store = await manualCaptureStore();
    const old = await order(store);
    const partly = await order(store);
    const fresh = await order(store);
    await capture(store, partly.id, '16.00');
    const longAgo = new Date(Date.now() - 8 * 24 * 3_600_000);
    await owner.payment.updateMany({
      where: { orderId: { in: [keyOf(old.id), keyOf(partly.id)] } },
      data: { createdAt: longAgo },
    });

    const sweep = await voidExpiredAuthorizations(app, 168);
    expect(sweep.orders).toBeGreaterThanOrEqual(2);
    expect(await view(store, old.id)).toMatchObject({ paymentStatus: 'VOIDED', totalCapturable: { amount: '0.00' } });
    expect((await view(store, old.id)).events.at(-1)).toEqual({
      type: 'PAYMENT_VOIDED',
      message: 'Payment of 66.00 EUR voided: the authorization expired.',
    });
    // What was captured stays; what was still held is released.
    expect(await view(store, partly.id)).toMatchObject({
      paymentStatus: 'PARTIALLY_PAID',
      totalPaid: { amount: '16.00' },
      totalCapturable: { amount: '0.00' },
      payments: [{ status: 'PAID' }],
    });
    expect(await view(store, fresh.id)).toMatchObject({ paymentStatus: 'AUTHORIZED' });

    // A second sweep finds nothing more of this store to void.
    await voidExpiredAuthorizations(app, 168);
    const voids = await owner.paymentTransaction.count({
      where: { kind: 'VOID', payment: { orderId: { in: [keyOf(old.id), keyOf(partly.id)] } } },
    });
    expect(voids).toBe(2);
    const paid = await graph.client.data(MARK_PAID, { input: { orderId: partly.id } }, asOwner(store));
    expect(paid.orderMarkPaid.order).toMatchObject({ paymentStatus: 'PAID', totalPaid: { amount: '66.00' } });
  });
});
