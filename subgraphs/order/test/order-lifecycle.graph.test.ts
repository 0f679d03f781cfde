// After checkout: confirming, shipping in parts, delivering, refunding, cancelling, notes and
// tracking, each enforced by the order's state and told on its timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  CART_FIELDS,
  CART_LINES_ADD,
  createCart,
  insertCustomer,
  placeOrder,
  stockedProductInput,
  stockOf,
} from '@commerce/testkit/checkout-kit';

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

const ORDER_STATE = `id number status paymentStatus fulfillmentStatus totalRefunded { amount } totalPaid { amount }
  lines { id title quantity fulfilledQuantity refundedQuantity }`;
const USER_ERRORS = 'userErrors { field message code }';

const MUTATIONS = {
  confirm: `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  markPaid: `mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  cancel: `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  fulfil: `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { fulfillment { id status carrier trackingNumber trackingUrl lines { quantity orderLine { title } } } order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  deliver: `mutation ($input: OrderMarkDeliveredInput!) { orderMarkDelivered(input: $input) { order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  refund: `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { refund { id amount { amount } reason restock lines { quantity amount { amount } orderLine { title } } } order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  note: `mutation ($input: OrderNoteAddInput!) { orderNoteAdd(input: $input) { order { id note } ${USER_ERRORS} } }`,
};

type Operation = keyof typeof MUTATIONS;
const FIELD: Record<Operation, string> = {
  confirm: 'orderConfirm',
  markPaid: 'orderMarkPaid',
  cancel: 'orderCancel',
  fulfil: 'fulfillmentCreate',
  deliver: 'orderMarkDelivered',
  refund: 'refundCreate',
  note: 'orderNoteAdd',
};

/** Runs an order mutation as the store's owner (or with the given token) and returns its payload. */
async function run(
  store: TestStore,
  operation: Operation,
  input: Record<string, unknown>,
  options: { token?: string; key?: string } = {},
): Promise<Record<string, any>> {
  const variables: Record<string, unknown> = { input };
  if (operation === 'refund') variables.key = options.key ?? unique('refund');
  const data = await graph.client.data(MUTATIONS[operation], variables, {
    token: options.token ?? store.owner.accessToken,
    store: store.slug,
  });
  return data[FIELD[operation]];
}

interface Placed {
  store: TestStore;
  order: Record<string, any>;
  variants: string[];
}

/** A store with a 2-line order (3 mugs at 12.00, 1 teapot at 30.00), paid by card unless said otherwise. */
async function placedOrder(options: { provider?: string; token?: string; store?: TestStore } = {}): Promise<Placed> {
  const store = options.store ?? (await createStore(graph.client));
  const mug = await createProduct(
    graph.client,
    store,
    stockedProductInput([{ price: '12.00', stock: 10 }], { title: 'Mug' }),
  );
  const teapot = await createProduct(
    graph.client,
    store,
    stockedProductInput([{ price: '30.00', stock: 5 }], { title: 'Teapot' }),
  );
  const cart = await createCart(
    graph.client,
    store,
    [
      { variantId: mug.variants[0]!.id, quantity: 3 },
      { variantId: teapot.variants[0]!.id, quantity: 1 },
    ],
    options.token,
  );
  const order = await placeOrder(graph.client, store, cart.id, {
    token: options.token,
    payment: options.provider ? { provider: options.provider } : undefined,
  });
  return { store, order, variants: [mug.variants[0]!.id, teapot.variants[0]!.id] };
}

describe('order status', () => {
  it('refuses a change the state does not allow, naming the current state', async () => {
    const { store, order } = await placedOrder();
    const early = await run(store, 'fulfil', { orderId: order.id });
    expect(early.userErrors).toEqual([
      {
        field: ['input', 'orderId'],
        message:
          'The order is PENDING; it cannot be fulfilled (only CONFIRMED, PROCESSING or READY_FOR_PICKUP orders can).',
        code: 'INVALID_TRANSITION',
      },
    ]);
    expect((await run(store, 'deliver', { orderId: order.id })).userErrors[0].message).toContain(
      'The order is PENDING',
    );
    expect((await run(store, 'confirm', { orderId: order.id })).order.status).toBe('CONFIRMED');
    expect((await run(store, 'confirm', { orderId: order.id })).userErrors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('The order is CONFIRMED'),
    });
    expect((await run(store, 'markPaid', { orderId: order.id })).userErrors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('payment is PAID'),
    });
  });

  it('staff record a bank transfer as paid', async () => {
    const { store, order } = await placedOrder({ provider: 'MANUAL' });
    const paid = await run(store, 'markPaid', { orderId: order.id, reference: 'BANK-42' });
    expect(paid.order).toMatchObject({ paymentStatus: 'PAID', totalPaid: { amount: '66.00' } });
    const view = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { payments { status reference transactions { kind status } } events { type message } } }`,
      { id: order.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(view.order.payments).toEqual([
      {
        status: 'PAID',
        reference: 'BANK-42',
        transactions: [
          { kind: 'SALE', status: 'PENDING' },
          { kind: 'CAPTURE', status: 'SUCCESS' },
        ],
      },
    ]);
    expect(view.order.events.at(-1)).toEqual({
      type: 'PAID',
      message: 'Payment of 66.00 EUR received (reference BANK-42).',
    });
  });

  it('staff cancel a confirmed order: reserved units go back on sale and the payment is refunded in full', async () => {
    const { store, order, variants } = await placedOrder();
    await run(store, 'confirm', { orderId: order.id });
    const cancelled = await run(store, 'cancel', { orderId: order.id, reason: 'Out of season', restock: true });
    expect(cancelled.order).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'REFUNDED',
      totalRefunded: { amount: '66.00' },
    });
    expect(await stockOf(owner, variants[0]!)).toEqual({ available: 10, committed: 0 });
    expect(await stockOf(owner, variants[1]!)).toEqual({ available: 5, committed: 0 });
    expect((await run(store, 'cancel', { orderId: order.id, reason: 'again' })).userErrors[0].message).toContain(
      'The order is CANCELLED',
    );
  });

  it('cancelling without restock writes the reserved units off', async () => {
    const { store, order, variants } = await placedOrder({ provider: 'CASH_ON_DELIVERY' });
    const cancelled = await run(store, 'cancel', {
      orderId: order.id,
      reason: 'Damaged in the warehouse',
      restock: false,
    });
    // No money moved: the pending payment is called off, and the order says so.
    expect(cancelled.order).toMatchObject({
      status: 'CANCELLED',
      paymentStatus: 'VOIDED',
      totalRefunded: { amount: '0.00' },
    });
    expect(await stockOf(owner, variants[0]!)).toEqual({ available: 7, committed: 0 });
    const movements = await owner.stockMovement.findMany({
      where: { orderId: keyOf(order.id) },
      orderBy: { createdAt: 'asc' },
    });
    expect(movements.map((movement) => movement.reason).sort()).toEqual([
      'order',
      'order',
      'order_written_off',
      'order_written_off',
    ]);
  });

  it("a customer cancels their own order while it is PENDING, not after it is confirmed, and never another customer's", async () => {
    const store = await createStore(graph.client);
    const customer = await insertCustomer(owner, store);
    const other = await insertCustomer(owner, store);
    const first = await placedOrder({ store, token: customer.accessToken });
    const second = await placedOrder({ store, token: customer.accessToken });
    const stranger = await graph.client.execute(
      MUTATIONS.cancel,
      { input: { orderId: first.order.id, reason: 'not mine' } },
      { token: other.accessToken },
    );
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);
    const own = await run(
      store,
      'cancel',
      { orderId: first.order.id, reason: 'Ordered twice', restock: false },
      { token: customer.accessToken },
    );
    expect(own.order).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
    // Customers cannot write stock off: their cancellation always puts the units back on sale.
    expect(await stockOf(owner, first.variants[0]!)).toEqual({ available: 10, committed: 0 });
    await run(store, 'confirm', { orderId: second.order.id });
    const late = await run(
      store,
      'cancel',
      { orderId: second.order.id, reason: 'Too late' },
      { token: customer.accessToken },
    );
    expect(late.userErrors).toEqual([
      {
        field: ['input', 'orderId'],
        message: 'The order is CONFIRMED; it cannot be cancelled by the customer (only PENDING orders can).',
        code: 'INVALID_TRANSITION',
      },
    ]);
    const staffOnly = await graph.client.execute(
      MUTATIONS.confirm,
      { input: { orderId: second.order.id } },
      { token: customer.accessToken },
    );
    expect(errorCodes(staffOnly)).toEqual(['UNAUTHENTICATED']);
  });

  it('every staff role may change orders (all have the orders permission); customers cannot use the staff mutations', async () => {
    const { store, order } = await placedOrder();
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    const allowed = await run(store, 'confirm', { orderId: order.id }, { token: clerk.accessToken });
    expect(allowed.order.status).toBe('CONFIRMED');
    const customer = await signUpCustomer(graph.client, store);
    for (const operation of ['deliver', 'note', 'markPaid'] as const) {
      const input = operation === 'note' ? { orderId: order.id, note: 'x' } : { orderId: order.id };
      expect(
        errorCodes(await graph.client.execute(MUTATIONS[operation], { input }, { token: customer.accessToken })),
      ).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('fulfilment and refunds', () => {
  it('ships in parts: committed stock leaves as sold, over-shipping is refused, the order is PROCESSING then SHIPPED', async () => {
    const { store, order, variants } = await placedOrder();
    await run(store, 'confirm', { orderId: order.id });
    const [mugLine, teapotLine] = order.lines;
    const tooMany = await run(store, 'fulfil', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine.id, quantity: 4 }],
    });
    expect(tooMany.userErrors).toEqual([
      { field: ['input', 'lines', '0', 'quantity'], message: 'Only 3 of "Mug" are left to ship.', code: 'TOO_MANY' },
    ]);
    const part = await run(store, 'fulfil', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine.id, quantity: 2 }],
      carrier: 'DHL',
      trackingNumber: 'JD0001',
      trackingUrl: 'https://track.example/JD0001',
    });
    expect(part.fulfillment).toMatchObject({
      status: 'SHIPPED',
      carrier: 'DHL',
      trackingNumber: 'JD0001',
      lines: [{ quantity: 2, orderLine: { title: 'Mug' } }],
    });
    expect(part.order).toMatchObject({ status: 'PROCESSING', fulfillmentStatus: 'PARTIALLY_FULFILLED' });
    expect(await stockOf(owner, variants[0]!)).toEqual({ available: 7, committed: 1 });
    const rest = await run(store, 'fulfil', { orderId: order.id });
    expect(rest.fulfillment.lines).toEqual([
      { quantity: 1, orderLine: { title: 'Mug' } },
      { quantity: 1, orderLine: { title: 'Teapot' } },
    ]);
    expect(rest.order).toMatchObject({ status: 'SHIPPED', fulfillmentStatus: 'FULFILLED' });
    expect(await stockOf(owner, variants[0]!)).toEqual({ available: 7, committed: 0 });
    expect(await stockOf(owner, variants[1]!)).toEqual({ available: 4, committed: 0 });
    expect(
      (await run(store, 'fulfil', { orderId: order.id, lines: [{ orderLineId: teapotLine.id, quantity: 1 }] }))
        .userErrors[0].code,
    ).toBe('INVALID_TRANSITION');
    const bad = await run(store, 'fulfil', { orderId: order.id, trackingUrl: 'ftp://nope' });
    expect(bad.userErrors.map((error: { field: string[] }) => error.field)).toEqual([['input', 'trackingUrl']]);
  });

  it('refunds never more than was paid, once per idempotency key, by amount or by line; unshipped refunded units go back on sale', async () => {
    const { store, order, variants } = await placedOrder();
    await run(store, 'confirm', { orderId: order.id });
    const [mugLine, teapotLine] = order.lines;
    const tooMuch = await run(store, 'refund', { orderId: order.id, amount: '66.01', reason: 'Goodwill' });
    expect(tooMuch.userErrors).toEqual([
      {
        field: ['input', 'amount'],
        message: 'At most 66.00 EUR can be refunded (what was paid and not refunded yet).',
        code: 'TOO_MUCH',
      },
    ]);
    const neither = await run(store, 'refund', { orderId: order.id, reason: 'x' });
    expect(neither.userErrors.map((error: { code: string }) => error.code)).toEqual(['INVALID']);

    const key = unique('refund');
    const goodwill = await run(
      store,
      'refund',
      { orderId: order.id, amount: '5.50', reason: 'Late delivery' },
      { key },
    );
    expect(goodwill.refund).toMatchObject({ amount: { amount: '5.50' }, lines: [] });
    expect(goodwill.order).toMatchObject({ paymentStatus: 'PARTIALLY_REFUNDED', totalRefunded: { amount: '5.50' } });
    const replayed = await run(
      store,
      'refund',
      { orderId: order.id, amount: '5.50', reason: 'Late delivery' },
      { key },
    );
    expect(replayed.refund.id).toBe(goodwill.refund.id);
    expect(replayed.order.totalRefunded).toEqual({ amount: '5.50' });
    const reused = await run(store, 'refund', { orderId: order.id, amount: '6.00', reason: 'Late delivery' }, { key });
    expect(reused.userErrors.map((error: { code: string }) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);

    // Two of three mugs, not shipped yet: 24.00, and their reserved units go back on sale.
    const mugs = await run(store, 'refund', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine.id, quantity: 2 }],
      reason: 'Changed mind',
    });
    expect(mugs.refund).toMatchObject({
      amount: { amount: '24.00' },
      lines: [{ quantity: 2, amount: { amount: '24.00' }, orderLine: { title: 'Mug' } }],
    });
    expect(await stockOf(owner, variants[0]!)).toEqual({ available: 9, committed: 1 });
    const shipped = await run(store, 'fulfil', { orderId: order.id });
    expect(shipped.fulfillment.lines.map((line: { quantity: number }) => line.quantity)).toEqual([1, 1]);
    expect(shipped.order).toMatchObject({ status: 'SHIPPED', fulfillmentStatus: 'FULFILLED' });
    const left = await run(store, 'refund', {
      orderId: order.id,
      lines: [
        { orderLineId: teapotLine.id, quantity: 1 },
        { orderLineId: mugLine.id, quantity: 1 },
      ],
      reason: 'Returned',
      restock: true,
    });
    // 66.00 paid, 5.50 + 24.00 refunded: 36.50 left, and the lines would be 30.00 + 12.00.
    expect(left.userErrors).toEqual([
      {
        field: ['input', 'lines'],
        message: 'At most 36.50 EUR can be refunded (what was paid and not refunded yet).',
        code: 'TOO_MUCH',
      },
    ]);
    const teapot = await run(store, 'refund', {
      orderId: order.id,
      lines: [{ orderLineId: teapotLine.id, quantity: 1 }],
      reason: 'Returned',
      restock: true,
    });
    expect(teapot.order).toMatchObject({ paymentStatus: 'PARTIALLY_REFUNDED', totalRefunded: { amount: '59.50' } });
    // The returned teapot is back on the shelf (restock); the shipped mug was not returned.
    expect(await stockOf(owner, variants[1]!)).toEqual({ available: 5, committed: 0 });
    const rest = await run(store, 'refund', { orderId: order.id, amount: '6.50', reason: 'Settled' });
    expect(rest.order).toMatchObject({ paymentStatus: 'REFUNDED', totalRefunded: { amount: '66.00' } });
    expect((await run(store, 'refund', { orderId: order.id, amount: '0.01', reason: 'More' })).userErrors[0].code).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('an unpaid order cannot be refunded', async () => {
    const { store, order } = await placedOrder({ provider: 'MANUAL' });
    const refused = await run(store, 'refund', { orderId: order.id, amount: '1.00', reason: 'x' });
    expect(refused.userErrors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('payment is PENDING'),
    });
  });

  it('refundCreate with one key sent 10 times at once refunds once', async () => {
    const { store, order } = await placedOrder();
    const key = unique('refund');
    const payloads = await Promise.all(
      Array.from({ length: 10 }, () =>
        run(store, 'refund', { orderId: order.id, amount: '10.00', reason: 'Once' }, { key }),
      ),
    );
    expect(new Set(payloads.map((payload) => payload.refund?.id)).size).toBe(1);
    expect(payloads.every((payload) => payload.userErrors.length === 0)).toBe(true);
    const refunded = await owner.order.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(order.id) } },
    });
    expect(refunded.totalRefunded.toFixed(2)).toBe('10.00');
  });
});

describe('notes and tracking', () => {
  it('staff notes show to staff, not to the buyer', async () => {
    const store = await createStore(graph.client);
    const customer = await insertCustomer(owner, store);
    const { order } = await placedOrder({ store, token: customer.accessToken });
    const noted = await run(store, 'note', { orderId: order.id, note: 'Gift wrap, please' });
    expect(noted.order.note).toBe('Gift wrap, please');
    expect(
      (await run(store, 'note', { orderId: order.id, note: '  ' })).userErrors.map(
        (error: { code: string }) => error.code,
      ),
    ).toEqual(['BLANK']);
    const buyer = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { note events { type } } }`,
      { id: order.id },
      { token: customer.accessToken },
    );
    expect(buyer.order).toEqual({ note: '', events: [{ type: 'PLACED' }] });
  });

  it('a guest tracks an order with its number and email, and sees only a reduced view', async () => {
    const { store, order } = await placedOrder();
    await run(store, 'confirm', { orderId: order.id });
    await run(store, 'fulfil', { orderId: order.id, carrier: 'UPS', trackingNumber: '1Z999' });
    const query = `query ($number: String!, $email: String!) { orderTrack(number: $number, email: $email) {
      number status paymentStatus fulfillmentStatus total { amount } lines { title quantity fulfilledQuantity } shipments { status carrier trackingNumber }
    } }`;
    const tracked = await graph.client.data(
      query,
      { number: order.number, email: order.email.toUpperCase() },
      { store: store.slug },
    );
    expect(tracked.orderTrack).toEqual({
      number: order.number,
      status: 'SHIPPED',
      paymentStatus: 'PAID',
      fulfillmentStatus: 'FULFILLED',
      total: { amount: '66.00' },
      lines: [
        { title: 'Mug', quantity: 3, fulfilledQuantity: 3 },
        { title: 'Teapot', quantity: 1, fulfilledQuantity: 1 },
      ],
      shipments: [{ status: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999' }],
    });
    expect(
      (await graph.client.data(query, { number: order.number, email: 'someone@example.com' }, { store: store.slug }))
        .orderTrack,
    ).toBeNull();
    const elsewhere = await createStore(graph.client);
    expect(
      (await graph.client.data(query, { number: order.number, email: order.email }, { store: elsewhere.slug }))
        .orderTrack,
    ).toBeNull();
  });
});

describe('a whole journey', () => {
  it('anonymous cart → sign-in merge → checkout → confirm → ship part → ship the rest → delivered → refund a line, told by Order.events', async () => {
    const store = await createStore(graph.client);
    const mug = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '12.00', stock: 10 }], { title: 'Mug' }),
    );
    const tea = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '8.50', stock: 10 }], { title: 'Tea' }),
    );
    const customer = await signUpCustomer(graph.client, store);
    // The customer had left a cart with tea, signed in on another device.
    await createCart(graph.client, store, [{ variantId: tea.variants[0]!.id, quantity: 1 }], customer.accessToken);
    const anonymous = await createCart(graph.client, store, [{ variantId: mug.variants[0]!.id, quantity: 2 }]);
    await graph.client.data(
      CART_LINES_ADD,
      { cartId: anonymous.id, lines: [{ variantId: tea.variants[0]!.id, quantity: 1 }] },
      { store: store.slug },
    );

    const merged = await graph.client.data(
      `mutation ($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId) { cart { ${CART_FIELDS} } lines { title outcome quantity } userErrors { code } } }`,
      { cartId: anonymous.id },
      { token: customer.accessToken },
    );
    expect(merged.cartBuyerIdentityUpdate.lines).toEqual([
      { title: 'Mug', outcome: 'KEPT', quantity: 2 },
      { title: 'Tea', outcome: 'MERGED', quantity: 2 },
    ]);
    expect(merged.cartBuyerIdentityUpdate.cart.buyer).toEqual({ id: customer.id });

    const order = await placeOrder(graph.client, store, anonymous.id, {
      token: customer.accessToken,
      email: customer.email,
    });
    expect(order.total.amount).toBe('41.00');
    const staff = { token: store.owner.accessToken };
    const [mugLine, teaLine] = order.lines;
    await run(store, 'confirm', { orderId: order.id }, staff);
    await run(
      store,
      'fulfil',
      { orderId: order.id, lines: [{ orderLineId: mugLine.id, quantity: 2 }], carrier: 'DHL', trackingNumber: 'A1' },
      staff,
    );
    await run(store, 'fulfil', { orderId: order.id, carrier: 'DHL', trackingNumber: 'A2' }, staff);
    const delivered = await run(store, 'deliver', { orderId: order.id }, staff);
    expect(delivered.order).toMatchObject({ status: 'DELIVERED', fulfillmentStatus: 'DELIVERED' });
    const refund = await run(
      store,
      'refund',
      {
        orderId: order.id,
        lines: [{ orderLineId: teaLine.id, quantity: 2 }],
        reason: 'Tea arrived crushed',
        restock: false,
      },
      staff,
    );
    expect(refund.order).toMatchObject({
      status: 'DELIVERED',
      paymentStatus: 'PARTIALLY_REFUNDED',
      totalRefunded: { amount: '17.00' },
    });

    const story = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { events { type message actorType } fulfillments { trackingNumber status deliveredAt lines { quantity } } refunds { amount { amount } reason } } }`,
      { id: order.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(story.order.events).toEqual([
      { type: 'PLACED', message: `Order ${order.number} placed: 41.00 EUR, paid by TEST_CARD.`, actorType: 'CUSTOMER' },
      { type: 'CONFIRMED', message: `Order ${order.number} confirmed.`, actorType: 'STAFF' },
      { type: 'FULFILLED', message: 'Shipped 2 × Mug (via DHL, tracking A1).', actorType: 'STAFF' },
      { type: 'FULFILLED', message: 'Shipped 2 × Tea (via DHL, tracking A2).', actorType: 'STAFF' },
      { type: 'DELIVERED', message: `Order ${order.number} delivered.`, actorType: 'STAFF' },
      { type: 'REFUNDED', message: 'Refunded 17.00 EUR for 2 × Tea: Tea arrived crushed.', actorType: 'STAFF' },
    ]);
    expect(
      story.order.fulfillments.map(
        (fulfillment: { trackingNumber: string; status: string; deliveredAt: string | null }) => [
          fulfillment.trackingNumber,
          fulfillment.status,
          Boolean(fulfillment.deliveredAt),
        ],
      ),
    ).toEqual([
      ['A1', 'DELIVERED', true],
      ['A2', 'DELIVERED', true],
    ]);
    expect(story.order.refunds).toEqual([{ amount: { amount: '17.00' }, reason: 'Tea arrived crushed' }]);
    expect(await stockOf(owner, mug.variants[0]!.id)).toEqual({ available: 8, committed: 0 });
    expect(await stockOf(owner, tea.variants[0]!.id)).toEqual({ available: 8, committed: 0 });
    const stats = await owner.customerOrderStats.findUniqueOrThrow({
      where: { storeId_customerId: { storeId: keyOf(store.id), customerId: keyOf(customer.id) } },
    });
    expect([stats.ordersCount, stats.totalSpent.toFixed(2)]).toEqual([1, '24.00']);
  });
});
