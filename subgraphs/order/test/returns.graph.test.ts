// Returns through the gateway: a buyer (within the store's window) or staff ask to send back
// delivered units; staff approve or decline, receive them back to stock or write them off, and a
// refund settles the return. Never more units than were delivered, nor more money than was paid,
// however many requests arrive at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  analyticsCaughtUp,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  createCart,
  insertCustomer,
  insertShippingZone,
  placeOrder,
  stockedProductInput,
  stockOf,
  type InsertedCustomer,
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

const USER_ERRORS = 'userErrors { field message code }';
const RETURN_FIELDS = `id status note declineReason requestedBy
  lines { id quantity reason receivedQuantity restockedQuantity writtenOffQuantity refundedQuantity orderLine { id title } }`;
const ORDER_STATE = `id status paymentStatus fulfillmentStatus totalRefunded { amount } lines { id title quantity fulfilledQuantity refundedQuantity }`;

const MUTATIONS = {
  request: `mutation ($input: ReturnRequestInput!) { returnRequest(input: $input) { return { ${RETURN_FIELDS} } order { id } ${USER_ERRORS} } }`,
  approve: `mutation ($input: ReturnApproveInput!) { returnApprove(input: $input) { return { ${RETURN_FIELDS} } ${USER_ERRORS} } }`,
  decline: `mutation ($input: ReturnDeclineInput!) { returnDecline(input: $input) { return { ${RETURN_FIELDS} } ${USER_ERRORS} } }`,
  receive: `mutation ($input: ReturnReceiveInput!) { returnReceive(input: $input) { return { ${RETURN_FIELDS} } ${USER_ERRORS} } }`,
  close: `mutation ($input: ReturnCloseInput!) { returnClose(input: $input) { return { ${RETURN_FIELDS} } ${USER_ERRORS} } }`,
  refund: `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) {
    refund { id amount { amount } shippingAmount { amount } lines { quantity amount { amount } orderLine { title } } return { id status } }
    order { ${ORDER_STATE} } ${USER_ERRORS} } }`,
  confirm: `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { ${USER_ERRORS} } }`,
  fulfil: `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { ${USER_ERRORS} } }`,
  deliver: `mutation ($input: OrderMarkDeliveredInput!) { orderMarkDelivered(input: $input) { ${USER_ERRORS} } }`,
};
type Operation = keyof typeof MUTATIONS;
const FIELD: Record<Operation, string> = {
  request: 'returnRequest',
  approve: 'returnApprove',
  decline: 'returnDecline',
  receive: 'returnReceive',
  close: 'returnClose',
  refund: 'refundCreate',
  confirm: 'orderConfirm',
  fulfil: 'fulfillmentCreate',
  deliver: 'orderMarkDelivered',
};

/** Runs a mutation as the store's owner (or with the given token) and returns the whole response. */
function execute(
  store: TestStore,
  operation: Operation,
  input: Record<string, unknown>,
  options: { token?: string | null; key?: string } = {},
) {
  const variables: Record<string, unknown> = { input };
  if (operation === 'refund') variables.key = options.key ?? unique('refund');
  const token = options.token === undefined ? store.owner.accessToken : options.token;
  return graph.client.execute(MUTATIONS[operation], variables, { token, store: store.slug });
}

/** Runs a mutation that must not fail with a GraphQL error, and returns its payload. */
async function run(
  store: TestStore,
  operation: Operation,
  input: Record<string, unknown>,
  options: { token?: string | null; key?: string } = {},
): Promise<Record<string, any>> {
  const response = await execute(store, operation, input, options);
  if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors));
  return response.data[FIELD[operation]];
}

interface Delivered {
  store: TestStore;
  customer: InsertedCustomer;
  order: Record<string, any>;
  mug: string;
  teapot: string;
  mugLine: string;
  teapotLine: string;
}

/**
 * A customer's order of 3 mugs at 12.00 and 1 teapot at 30.00 with 5.00 shipping, paid with the
 * test card, and shipped and delivered in full unless `deliver` is false.
 */
async function deliveredOrder(options: { deliver?: boolean } = {}): Promise<Delivered> {
  const store = await createStore(graph.client);
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '5.00' }]);
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
  const customer = await insertCustomer(owner, store);
  const cart = await createCart(
    graph.client,
    store,
    [
      { variantId: mug.variants[0]!.id, quantity: 3 },
      { variantId: teapot.variants[0]!.id, quantity: 1 },
    ],
    customer.accessToken,
  );
  const order = await placeOrder(graph.client, store, cart.id, { token: customer.accessToken, email: customer.email });
  expect(order.total.amount).toBe('71.00');
  if (options.deliver !== false) {
    expect((await run(store, 'confirm', { orderId: order.id })).userErrors).toEqual([]);
    expect((await run(store, 'fulfil', { orderId: order.id, carrier: 'DHL' })).userErrors).toEqual([]);
    expect((await run(store, 'deliver', { orderId: order.id })).userErrors).toEqual([]);
  }
  return {
    store,
    customer,
    order,
    mug: mug.variants[0]!.id,
    teapot: teapot.variants[0]!.id,
    mugLine: order.lines[0].id,
    teapotLine: order.lines[1].id,
  };
}

const codesOf = (payload: Record<string, any>): string[] =>
  (payload.userErrors as { code: string }[]).map((error) => error.code);

describe('a return from request to refund', () => {
  it('a customer returns 2 of 3 delivered mugs: approved, one restocked and one written off, refunded with shipping; stock, totals, timeline, events and analytics follow', async () => {
    const { store, customer, order, mug, mugLine } = await deliveredOrder();
    expect(await stockOf(owner, mug)).toEqual({ available: 7, committed: 0 });

    const requested = await run(
      store,
      'request',
      {
        orderId: order.id,
        lines: [{ orderLineId: mugLine, quantity: 2, reason: 'DAMAGED' }],
        note: 'Cracked in the box',
      },
      { token: customer.accessToken },
    );
    expect(requested.userErrors).toEqual([]);
    expect(requested.return).toMatchObject({
      status: 'REQUESTED',
      note: 'Cracked in the box',
      requestedBy: 'CUSTOMER',
      lines: [{ quantity: 2, reason: 'DAMAGED', receivedQuantity: 0, orderLine: { id: mugLine, title: 'Mug' } }],
    });
    const returnId = requested.return.id;
    const returnLineId = requested.return.lines[0].id;

    // The buyer cannot approve their own return (staff mutations need a staff sign-in); staff can.
    const byBuyer = await execute(store, 'approve', { returnId }, { token: customer.accessToken });
    expect(errorCodes(byBuyer)).toEqual(['UNAUTHENTICATED']);
    expect((await run(store, 'approve', { returnId })).return.status).toBe('APPROVED');

    // A refund before anything arrived has nothing to settle.
    const early = await run(store, 'refund', { orderId: order.id, returnId, reason: 'Return' });
    expect(codesOf(early)).toEqual(['INVALID_TRANSITION']);

    const once = await run(store, 'receive', {
      returnId,
      lines: [{ returnLineId, quantity: 1, restock: true }],
    });
    expect(once.return).toMatchObject({
      status: 'PARTIALLY_RECEIVED',
      lines: [{ receivedQuantity: 1, restockedQuantity: 1, writtenOffQuantity: 0 }],
    });
    expect(await stockOf(owner, mug)).toEqual({ available: 8, committed: 0 });
    const tooMany = await run(store, 'receive', { returnId, lines: [{ returnLineId, quantity: 2 }] });
    expect(tooMany.userErrors).toEqual([
      { field: ['input', 'lines', '0', 'quantity'], message: 'Only 1 of "Mug" are still to arrive.', code: 'TOO_MANY' },
    ]);
    const rest = await run(store, 'receive', { returnId, lines: [{ returnLineId, quantity: 1, restock: false }] });
    expect(rest.return).toMatchObject({
      status: 'RECEIVED',
      lines: [{ receivedQuantity: 2, restockedQuantity: 1, writtenOffQuantity: 1 }],
    });
    // The written-off unit does not come back on sale.
    expect(await stockOf(owner, mug)).toEqual({ available: 8, committed: 0 });
    const movements = await owner.stockMovement.findMany({ where: { variantId: keyOf(mug), reason: 'return' } });
    expect(movements.map((movement) => [movement.delta, movement.availableAfter, movement.orderId])).toEqual([
      [1, 8, keyOf(order.id)],
    ]);

    const key = unique('refund');
    const refund = await run(
      store,
      'refund',
      { orderId: order.id, returnId, includeShipping: true, reason: 'Returned damaged' },
      { key },
    );
    expect(refund.userErrors).toEqual([]);
    expect(refund.refund).toEqual({
      id: expect.any(String),
      amount: { amount: '29.00' },
      shippingAmount: { amount: '5.00' },
      lines: [{ quantity: 2, amount: { amount: '24.00' }, orderLine: { title: 'Mug' } }],
      return: { id: returnId, status: 'REFUNDED' },
    });
    expect(refund.order).toMatchObject({
      status: 'DELIVERED',
      paymentStatus: 'PARTIALLY_REFUNDED',
      totalRefunded: { amount: '29.00' },
      lines: [
        { title: 'Mug', quantity: 3, fulfilledQuantity: 3, refundedQuantity: 2 },
        { title: 'Teapot', quantity: 1, fulfilledQuantity: 1, refundedQuantity: 0 },
      ],
    });
    // A retry with the key answers the same refund; a new refund of the settled return is refused.
    const replayed = await run(
      store,
      'refund',
      { orderId: order.id, returnId, includeShipping: true, reason: 'Returned damaged' },
      { key },
    );
    expect(replayed.refund.id).toBe(refund.refund.id);
    const again = await run(store, 'refund', { orderId: order.id, returnId, reason: 'Again' });
    expect(codesOf(again)).toEqual(['INVALID_TRANSITION']);

    const story = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { totalRefunded { amount } events { type message actorType }
        returns { id status lines { refundedQuantity } refunds { amount { amount } } } } }`,
      { id: order.id },
      { token: customer.accessToken },
    );
    expect(story.order.totalRefunded).toEqual({ amount: '29.00' });
    expect(story.order.returns).toEqual([
      {
        id: returnId,
        status: 'REFUNDED',
        lines: [{ refundedQuantity: 2 }],
        refunds: [{ amount: { amount: '29.00' } }],
      },
    ]);
    expect(story.order.events.slice(-6)).toEqual([
      { type: 'DELIVERED', message: `Order ${order.number} delivered.`, actorType: 'STAFF' },
      {
        type: 'RETURN_REQUESTED',
        message: 'Return requested: 2 × Mug (damaged) (note: Cracked in the box).',
        actorType: 'CUSTOMER',
      },
      { type: 'RETURN_APPROVED', message: 'Return of 2 × Mug approved.', actorType: 'STAFF' },
      {
        type: 'RETURN_RECEIVED',
        message: 'Return received: 1 × Mug back to stock at Default location.',
        actorType: 'STAFF',
      },
      { type: 'RETURN_RECEIVED', message: 'Return received: 1 × Mug written off.', actorType: 'STAFF' },
      {
        type: 'REFUNDED',
        message: 'Refunded 29.00 EUR for 2 × Mug, shipping (5.00 EUR) of a return: Returned damaged.',
        actorType: 'STAFF',
      },
    ]);

    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), aggregateType: 'Return' },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((event) => [event.type, (event.payload as { status: string }).status])).toEqual([
      ['return.requested', 'REQUESTED'],
      ['return.approved', 'APPROVED'],
      ['return.received', 'PARTIALLY_RECEIVED'],
      ['return.received', 'RECEIVED'],
    ]);
    const refunded = await owner.outboxEvent.findFirstOrThrow({
      where: { storeId: keyOf(store.id), type: 'order.refunded' },
    });
    expect(refunded.payload).toMatchObject({ returnId: keyOf(returnId) });
    expect(Number((refunded.payload as { amount: string }).amount)).toBe(29);

    // Analytics: 71.00 sold, 29.00 refunded; two of the three mugs no longer count.
    await analyticsCaughtUp(owner, store);
    const day = new Date();
    const range = {
      from: new Date(day.getTime() - 86_400_000).toISOString(),
      to: new Date(day.getTime() + 86_400_000).toISOString(),
    };
    const analytics = await graph.client.data(
      `query ($range: DateRangeInput!) { store { analytics(range: $range) {
        sales { revenue { amount } ordersCount }
        topProducts(first: 5) { product { title } unitsSold netSales { amount } } } } }`,
      { range },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(analytics.store.analytics.sales).toEqual({ revenue: { amount: '42.00' }, ordersCount: 1 });
    expect(analytics.store.analytics.topProducts).toEqual(
      expect.arrayContaining([{ product: { title: 'Mug' }, unitsSold: 1, netSales: { amount: '12.00' } }]),
    );
  }, 120_000);

  it('units arrive at the location staff name; a refund settles what has arrived; the return stays open for the rest, then staff close it', async () => {
    const { store, order, teapot, mugLine, teapotLine } = await deliveredOrder();
    const requested = await run(store, 'request', {
      orderId: order.id,
      lines: [
        { orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' },
        { orderLineId: teapotLine, quantity: 1, reason: 'DEFECTIVE' },
      ],
    });
    expect(requested.return.requestedBy).toBe('STAFF');
    const returnId = requested.return.id;
    const [mugReturn, teapotReturn] = requested.return.lines;
    await run(store, 'approve', { returnId });
    const created = await graph.client.data(
      `mutation { inventoryLocationCreate(input: { name: "Back room" }) { inventoryLocation { id } userErrors { code } } }`,
      {},
      { token: store.owner.accessToken, store: store.slug },
    );
    const backRoom = created.inventoryLocationCreate.inventoryLocation.id;
    const nowhere = await run(store, 'receive', {
      returnId,
      locationId: 'no-such-location',
      lines: [{ returnLineId: teapotReturn.id, quantity: 1 }],
    });
    expect(nowhere.userErrors).toEqual([
      { field: ['input', 'locationId'], message: 'There is no such active location in this store.', code: 'NOT_FOUND' },
    ]);
    const received = await run(store, 'receive', {
      returnId,
      locationId: backRoom,
      lines: [{ returnLineId: teapotReturn.id, quantity: 1 }],
    });
    expect(received.return.status).toBe('PARTIALLY_RECEIVED');
    // The teapot went back on the shelf of the back room, not of the default location.
    const levels = await owner.inventoryLevel.findMany({ where: { variantId: keyOf(teapot) } });
    expect(levels.find((level) => level.locationId === keyOf(backRoom))).toMatchObject({ available: 1, committed: 0 });
    expect(await stockOf(owner, teapot)).toEqual({ available: 5, committed: 0 });
    const refund = await run(store, 'refund', { orderId: order.id, returnId, reason: 'Teapot back' });
    expect(refund.refund).toMatchObject({
      amount: { amount: '30.00' },
      shippingAmount: { amount: '0.00' },
      return: { status: 'PARTIALLY_RECEIVED' },
    });
    expect(codesOf(await run(store, 'refund', { orderId: order.id, returnId, reason: 'Again' }))).toEqual([
      'NOTHING_TO_REFUND',
    ]);
    const closed = await run(store, 'close', { returnId });
    expect(closed.return).toMatchObject({
      status: 'CLOSED',
      lines: [
        { id: mugReturn.id, receivedQuantity: 0, refundedQuantity: 0 },
        { id: teapotReturn.id, receivedQuantity: 1, refundedQuantity: 1 },
      ],
    });
    expect(
      codesOf(await run(store, 'receive', { returnId, lines: [{ returnLineId: mugReturn.id, quantity: 1 }] })),
    ).toEqual(['INVALID_TRANSITION']);
    // The mug never came back, so it can be asked for again; the teapot cannot.
    const more = await run(store, 'request', {
      orderId: order.id,
      lines: [
        { orderLineId: mugLine, quantity: 3, reason: 'UNWANTED' },
        { orderLineId: teapotLine, quantity: 1, reason: 'UNWANTED' },
      ],
    });
    expect(more.userErrors).toEqual([
      {
        field: ['input', 'lines', '1', 'quantity'],
        message: 'Only 0 of "Teapot" can be returned (delivered and not in another return).',
        code: 'TOO_MANY',
      },
    ]);
  });

  it('a declined return says why, is final, and frees its units for another request', async () => {
    const { store, customer, order, mugLine } = await deliveredOrder();
    const requested = await run(
      store,
      'request',
      { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 3, reason: 'UNWANTED' }] },
      { token: customer.accessToken },
    );
    const returnId = requested.return.id;
    expect(codesOf(await run(store, 'decline', { returnId, reason: '  ' }))).toEqual(['BLANK']);
    const declined = await run(store, 'decline', { returnId, reason: 'Used items cannot be returned' });
    expect(declined.return).toMatchObject({ status: 'DECLINED', declineReason: 'Used items cannot be returned' });
    for (const [operation, input] of [
      ['approve', { returnId }],
      ['decline', { returnId, reason: 'Again' }],
      ['close', { returnId }],
    ] as const) {
      const refused = await run(store, operation, input);
      expect(refused.userErrors).toEqual([
        {
          field: ['input', 'returnId'],
          message: expect.stringContaining('The return is DECLINED'),
          code: 'INVALID_TRANSITION',
        },
      ]);
    }
    const receive = await run(store, 'receive', {
      returnId,
      lines: [{ returnLineId: requested.return.lines[0].id, quantity: 1 }],
    });
    expect(codesOf(receive)).toEqual(['INVALID_TRANSITION']);
    expect(codesOf(await run(store, 'refund', { orderId: order.id, returnId, reason: 'x' }))).toEqual([
      'INVALID_TRANSITION',
    ]);
    const again = await run(
      store,
      'request',
      { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 3, reason: 'DAMAGED' }] },
      { token: customer.accessToken },
    );
    expect(again.userErrors).toEqual([]);
    const timeline = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { events { type message } } }`,
      { id: order.id },
      { token: customer.accessToken },
    );
    expect(timeline.order.events.map((event: { type: string }) => event.type).slice(-3)).toEqual([
      'RETURN_REQUESTED',
      'RETURN_DECLINED',
      'RETURN_REQUESTED',
    ]);
    expect(timeline.order.events.at(-2).message).toBe('Return of 3 × Mug declined: Used items cannot be returned.');
  });
});

describe('what can be returned', () => {
  it('only delivered units, never more than delivered less other returns', async () => {
    const { store, order, mugLine, teapotLine } = await deliveredOrder({ deliver: false });
    await run(store, 'confirm', { orderId: order.id });
    const nothingShipped = await run(store, 'request', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' }],
    });
    expect(codesOf(nothingShipped)).toEqual(['TOO_MANY']);
    await run(store, 'fulfil', { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 1 }] });
    const twoOfOne = await run(store, 'request', {
      orderId: order.id,
      lines: [
        { orderLineId: mugLine, quantity: 2, reason: 'UNWANTED' },
        { orderLineId: teapotLine, quantity: 1, reason: 'UNWANTED' },
      ],
    });
    expect(twoOfOne.userErrors).toEqual([
      {
        field: ['input', 'lines', '0', 'quantity'],
        message: 'Only 1 of "Mug" can be returned (delivered and not in another return).',
        code: 'TOO_MANY',
      },
      {
        field: ['input', 'lines', '1', 'quantity'],
        message: 'Only 0 of "Teapot" can be returned (delivered and not in another return).',
        code: 'TOO_MANY',
      },
    ]);
    const bad = await run(store, 'request', {
      orderId: order.id,
      lines: [
        { orderLineId: mugLine, quantity: 0, reason: 'UNWANTED' },
        { orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' },
        { orderLineId: 'not-a-line', quantity: 1, reason: 'UNWANTED' },
      ],
      note: 'x'.repeat(2_001),
    });
    expect(
      bad.userErrors.map((error: { field: string[]; code: string }) => [error.field.join('.'), error.code]),
    ).toEqual([
      ['input.note', 'TOO_LONG'],
      ['input.lines.0.quantity', 'INVALID'],
      ['input.lines.2.orderLineId', 'NOT_FOUND'],
      ['input.lines', 'INVALID'],
    ]);
    expect(await owner.return.count({ where: { orderId: keyOf(order.id) } })).toBe(0);
    const one = await run(store, 'request', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine, quantity: 1, reason: 'SIZE_OR_FIT' }],
    });
    expect(one.userErrors).toEqual([]);
    expect(
      codesOf(
        await run(store, 'request', {
          orderId: order.id,
          lines: [{ orderLineId: mugLine, quantity: 1, reason: 'OTHER' }],
        }),
      ),
    ).toEqual(['TOO_MANY']);
    // Settling the return while the line still has units to ship is refused rather than refunding those.
    await run(store, 'approve', { returnId: one.return.id });
    await run(store, 'receive', {
      returnId: one.return.id,
      lines: [{ returnLineId: one.return.lines[0].id, quantity: 1 }],
    });
    const settle = await run(store, 'refund', { orderId: order.id, returnId: one.return.id, reason: 'Back' });
    expect(codesOf(settle)).toEqual(['INVALID_TRANSITION']);
    expect(settle.userErrors[0].message).toContain('"Mug" still has 2 units to ship');
  });

  it('refundCreate takes an amount, lines or a return, one of them, and shipping only with a return', async () => {
    const { store, order } = await deliveredOrder();
    const both = await run(store, 'refund', {
      orderId: order.id,
      amount: '1.00',
      returnId: 'whatever',
      includeShipping: true,
      reason: 'x',
    });
    expect(
      both.userErrors.map((error: { field: string[]; code: string }) => [error.field.join('.'), error.code]),
    ).toEqual([
      ['input', 'INVALID'],
      ['input.returnId', 'NOT_FOUND'],
    ]);
    const shippingAlone = await run(store, 'refund', {
      orderId: order.id,
      amount: '1.00',
      includeShipping: true,
      reason: 'x',
    });
    expect(codesOf(shippingAlone)).toEqual(['INVALID']);
    const elsewhere = await deliveredOrder();
    const foreign = await run(elsewhere.store, 'request', {
      orderId: elsewhere.order.id,
      lines: [{ orderLineId: elsewhere.mugLine, quantity: 1, reason: 'OTHER' }],
    });
    // Another store's return is not this order's.
    const wrong = await run(store, 'refund', { orderId: order.id, returnId: foreign.return.id, reason: 'x' });
    expect(codesOf(wrong)).toEqual(['NOT_FOUND']);
  });
});

describe('the return window', () => {
  it('customers ask within the store window counted from delivery; staff any time; 0 days leaves returns to staff', async () => {
    const { store, customer, order, mugLine } = await deliveredOrder();
    const ask = (token?: string) =>
      run(
        store,
        'request',
        { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' }] },
        { token },
      );
    const storeId = keyOf(store.id);
    await owner.fulfillment.updateMany({
      where: { storeId, orderId: keyOf(order.id) },
      data: { deliveredAt: new Date(Date.now() - 31 * 86_400_000) },
    });
    const late = await ask(customer.accessToken);
    expect(late.userErrors).toEqual([
      {
        field: ['input', 'orderId'],
        message: "The store's return window for this order has passed; contact the store.",
        code: 'RETURN_WINDOW_CLOSED',
      },
    ]);
    await graph.client.data(
      `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { userErrors { code } } }`,
      { input: { settings: { returnWindowDays: 60 } } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect((await ask(customer.accessToken)).userErrors).toEqual([]);
    await owner.store.update({ where: { id: storeId }, data: { returnWindowDays: 0 } });
    expect(codesOf(await ask(customer.accessToken))).toEqual(['RETURN_WINDOW_CLOSED']);
    expect((await ask()).userErrors).toEqual([]);
  });
});

describe('who may return what', () => {
  it("a customer reaches only their own orders' returns; guests and other stores' customers do not", async () => {
    const { store, customer, order, mugLine } = await deliveredOrder();
    const input = { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' }] };
    const other = await insertCustomer(owner, store);
    expect(errorCodes(await execute(store, 'request', input, { token: other.accessToken }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await execute(store, 'request', input, { token: null }))).toEqual(['UNAUTHENTICATED']);
    const elsewhere = await createStore(graph.client);
    const stranger = await insertCustomer(owner, elsewhere);
    const crossStore = await graph.client.execute(MUTATIONS.request, { input }, { token: stranger.accessToken });
    expect(errorCodes(crossStore)).toEqual(['NOT_FOUND']);
    const foreignStaff = await graph.client.execute(
      MUTATIONS.request,
      { input },
      {
        token: elsewhere.owner.accessToken,
        store: elsewhere.slug,
      },
    );
    expect(errorCodes(foreignStaff)).toEqual(['NOT_FOUND']);

    const mine = await run(store, 'request', input, { token: customer.accessToken });
    const returnId = mine.return.id;
    await run(store, 'request', input);
    for (const operation of ['approve', 'close'] as const)
      expect(errorCodes(await execute(store, operation, { returnId }, { token: customer.accessToken }))).toEqual([
        'UNAUTHENTICATED',
      ]);
    expect(
      errorCodes(await execute(elsewhere, 'approve', { returnId }, { token: elsewhere.owner.accessToken })),
    ).toEqual(['NOT_FOUND']);

    const NODE = `query ($id: ID!) { node(id: $id) { __typename ... on Return { id status order { id } } } }`;
    const asNode = await graph.client.data(NODE, { id: returnId }, { token: customer.accessToken });
    expect(asNode.node).toEqual({ __typename: 'Return', id: returnId, status: 'REQUESTED', order: { id: order.id } });
    expect((await graph.client.data(NODE, { id: returnId }, { token: other.accessToken })).node).toBeNull();
    expect(
      (await graph.client.data(NODE, { id: returnId }, { token: elsewhere.owner.accessToken, store: elsewhere.slug }))
        .node,
    ).toBeNull();

    const LIST = `{ store { returns(first: 10) { totalCount nodes { id requestedBy order { id } } } } }`;
    // The customer sees the returns of their order, whoever asked for them.
    const own = await graph.client.data(LIST, {}, { token: customer.accessToken });
    expect(
      own.store.returns.nodes.map((node: { id: string; order: { id: string } }) => [node.id, node.order.id]),
    ).toEqual([
      [expect.any(String), order.id],
      [returnId, order.id],
    ]);
    expect((await graph.client.data(LIST, {}, { token: other.accessToken })).store.returns.totalCount).toBe(0);
    const staff = await graph.client.data(LIST, {}, { token: store.owner.accessToken, store: store.slug });
    expect(staff.store.returns.totalCount).toBe(2);
    expect(staff.store.returns.nodes.map((node: { requestedBy: string }) => node.requestedBy)).toEqual([
      'STAFF',
      'CUSTOMER',
    ]);
    const requestedOnly = await graph.client.data(
      `{ store { returns(first: 10, filter: { status: APPROVED }) { totalCount } } }`,
      {},
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(requestedOnly.store.returns.totalCount).toBe(0);
    expect(errorCodes(await graph.client.execute(LIST, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('concurrency', () => {
  it('6 requests at once for 1 unit each of a line with 3 delivered: exactly 3 are accepted', async () => {
    const { store, customer, order, mugLine } = await deliveredOrder();
    const payloads = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        run(
          store,
          'request',
          { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 1, reason: 'UNWANTED' }] },
          { token: index % 2 === 0 ? customer.accessToken : undefined },
        ),
      ),
    );
    expect(payloads.filter((payload) => payload.return).length).toBe(3);
    expect(payloads.flatMap((payload) => codesOf(payload)).sort()).toEqual(['TOO_MANY', 'TOO_MANY', 'TOO_MANY']);
    const lines = await owner.returnLine.findMany({ where: { orderLineId: keyOf(mugLine) } });
    expect(lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(3);
  });

  it('5 refunds of one return at once with different keys: one refund, never more than the return', async () => {
    const { store, order, mugLine } = await deliveredOrder();
    const requested = await run(store, 'request', {
      orderId: order.id,
      lines: [{ orderLineId: mugLine, quantity: 2, reason: 'DAMAGED' }],
    });
    const returnId = requested.return.id;
    await run(store, 'approve', { returnId });
    await run(store, 'receive', { returnId, lines: [{ returnLineId: requested.return.lines[0].id, quantity: 2 }] });
    const payloads = await Promise.all(
      Array.from({ length: 5 }, () =>
        run(store, 'refund', { orderId: order.id, returnId, includeShipping: true, reason: 'Back' }),
      ),
    );
    const refunds = payloads.filter((payload) => payload.refund);
    expect(refunds.length).toBe(1);
    expect(refunds[0]!.refund.amount).toEqual({ amount: '29.00' });
    expect(payloads.flatMap((payload) => codesOf(payload))).toEqual(Array(4).fill('INVALID_TRANSITION'));
    const stored = await owner.order.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(order.id) } },
    });
    expect(stored.totalRefunded.toFixed(2)).toBe('29.00');
    expect(await owner.refund.count({ where: { orderId: keyOf(order.id) } })).toBe(1);
  });
});
