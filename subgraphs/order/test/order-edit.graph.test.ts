// orderEdit through the gateway: staff add variants, change quantities and remove lines of an open
// order; stock, totals, what is still owed, the payment status and the timeline follow; a key
// applies an edit once; edits and fulfilments of one order take turns and never oversell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  signUpCustomer,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  CART_CODES,
  createCart,
  insertTaxRate,
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

const ORDER = `id status paymentStatus fulfillmentStatus subtotal { amount } discountTotal { amount } taxTotal { amount }
  total { amount } totalPaid { amount }
  totalOutstanding { amount } lines { id title quantity unitPrice { amount } fulfilledQuantity }
  events { type message }`;
const USER_ERRORS = 'userErrors { field message code }';
const EDIT = `mutation ($input: OrderEditInput!, $key: String!) { orderEdit(input: $input, idempotencyKey: $key) { order { ${ORDER} } ${USER_ERRORS} } }`;
const FULFIL = `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { order { ${ORDER} } ${USER_ERRORS} } }`;
const CONFIRM = `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { id } ${USER_ERRORS} } }`;
const CANCEL = `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { id status } ${USER_ERRORS} } }`;

interface Placed {
  store: TestStore;
  order: Record<string, any>;
  mug: string;
  teapot: string;
  spoon: string;
  mugLine: string;
  teapotLine: string;
}

/** A confirmed order paid by card: 3 mugs at 12.00 (10 in stock), 1 teapot at 30.00 (5); spoons at 4.00 (2) unsold. */
async function paidOrder(): Promise<Placed> {
  const store = await createStore(graph.client);
  const product = (title: string, price: string, stock: number) =>
    createProduct(graph.client, store, stockedProductInput([{ price, stock }], { title }));
  const [mug, teapot, spoon] = await Promise.all([
    product('Mug', '12.00', 10),
    product('Teapot', '30.00', 5),
    product('Spoon', '4.00', 2),
  ]);
  const cart = await createCart(graph.client, store, [
    { variantId: mug.variants[0]!.id, quantity: 3 },
    { variantId: teapot.variants[0]!.id, quantity: 1 },
  ]);
  const placed = await placeOrder(graph.client, store, cart.id);
  await staff(store, CONFIRM, { input: { orderId: placed.id } });
  const order = await view(store, placed.id);
  const lineOf = (title: string) => order.lines.find((line: { title: string }) => line.title === title).id;
  return {
    store,
    order,
    mug: mug.variants[0]!.id,
    teapot: teapot.variants[0]!.id,
    spoon: spoon.variants[0]!.id,
    mugLine: lineOf('Mug'),
    teapotLine: lineOf('Teapot'),
  };
}

async function staff(store: TestStore, query: string, variables: Record<string, unknown>): Promise<any> {
  return graph.client.data(query, variables, { token: store.owner.accessToken, store: store.slug });
}

async function edit(store: TestStore, input: Record<string, unknown>, key = unique('edit')): Promise<any> {
  return (await staff(store, EDIT, { input, key })).orderEdit;
}

async function view(store: TestStore, orderId: string): Promise<any> {
  return (await staff(store, `query ($id: ID!) { order(id: $id) { ${ORDER} } }`, { id: orderId })).order;
}

describe('orderEdit', () => {
  it('adds, changes and removes lines in one go: stock, totals, what is owed and the timeline follow', async () => {
    const { store, order, mug, teapot, spoon, mugLine, teapotLine } = await paidOrder();
    expect(order).toMatchObject({ total: { amount: '66.00' }, paymentStatus: 'PAID' });
    const edited = await edit(store, {
      orderId: order.id,
      addLines: [
        { variantId: spoon, quantity: 2 },
        { variantId: teapot, quantity: 1, price: '25.00' },
      ],
      updateLines: [{ orderLineId: mugLine, quantity: 5 }],
      removeLineIds: [teapotLine],
    });
    expect(edited.userErrors).toEqual([]);
    // 5 × 12.00 + 2 × 4.00 + 1 × 25.00 = 93.00; 66.00 was paid.
    expect(edited.order).toMatchObject({
      status: 'CONFIRMED',
      paymentStatus: 'PARTIALLY_PAID',
      subtotal: { amount: '93.00' },
      total: { amount: '93.00' },
      totalPaid: { amount: '66.00' },
      totalOutstanding: { amount: '27.00' },
    });
    expect(edited.order.lines.map((line: any) => [line.title, line.quantity, line.unitPrice.amount]).sort()).toEqual([
      ['Mug', 5, '12.00'],
      ['Spoon', 2, '4.00'],
      ['Teapot', 1, '25.00'],
    ]);
    expect(edited.order.events.at(-1)).toEqual({
      type: 'ORDER_EDITED',
      message: 'Mug 3 → 5; removed Teapot; added 2 × Spoon; added 1 × Teapot. Total 66.00 EUR → 93.00 EUR.',
    });
    expect(await stockOf(owner, mug)).toEqual({ available: 5, committed: 5 });
    expect(await stockOf(owner, spoon)).toEqual({ available: 0, committed: 2 });
    // The removed teapot went back on the shelf, the re-priced one is reserved.
    expect(await stockOf(owner, teapot)).toEqual({ available: 4, committed: 1 });
    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), type: 'order.edited' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ before: { total: '66' }, after: { total: '93' } });
  });

  it('lowering the total leaves an amount to refund, and the order stays paid', async () => {
    const { store, order, mug, mugLine } = await paidOrder();
    const edited = await edit(store, { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 1 }] });
    expect(edited.order).toMatchObject({
      paymentStatus: 'PAID',
      total: { amount: '42.00' },
      totalOutstanding: { amount: '-24.00' },
    });
    expect(await stockOf(owner, mug)).toEqual({ available: 9, committed: 1 });
  });

  it('applies an edit once per idempotency key, and refuses the key for another edit', async () => {
    const { store, order, mug, mugLine } = await paidOrder();
    const input = { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 4 }] };
    const first = await edit(store, input, 'edit-1');
    const again = await edit(store, input, 'edit-1');
    expect(again).toEqual(first);
    expect(await stockOf(owner, mug)).toEqual({ available: 6, committed: 4 });
    const reused = await edit(store, { ...input, updateLines: [{ orderLineId: mugLine, quantity: 6 }] }, 'edit-1');
    expect(reused.userErrors.map((error: { code: string }) => error.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect((await view(store, order.id)).events.filter((event: any) => event.type === 'ORDER_EDITED')).toHaveLength(1);
  });

  it('changes only units still to ship, and refuses what stock cannot cover, changing nothing', async () => {
    const { store, order, mug, spoon, mugLine } = await paidOrder();
    await staff(store, FULFIL, { input: { orderId: order.id, lines: [{ orderLineId: mugLine, quantity: 2 }] } });
    const below = await edit(store, { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 1 }] });
    expect(below.userErrors).toEqual([
      {
        field: ['input', 'updateLines', '0', 'quantity'],
        message: '2 of "Mug" have shipped or been refunded; the quantity cannot go below that.',
        code: 'TOO_MANY',
      },
    ]);
    const short = await edit(store, {
      orderId: order.id,
      updateLines: [{ orderLineId: mugLine, quantity: 2 }],
      addLines: [{ variantId: spoon, quantity: 3 }],
    });
    expect(short.userErrors).toEqual([
      {
        field: ['input', 'addLines', '0', 'quantity'],
        message: `Only 2 more units of variant ${spoon} are left to sell; 3 were asked for.`,
        code: 'OUT_OF_STOCK',
      },
    ]);
    expect(await stockOf(owner, spoon)).toEqual({ available: 2, committed: 0 });
    expect(await stockOf(owner, mug)).toEqual({ available: 7, committed: 1 });
    // Removing the line keeps its shipped units: the order is then fully shipped.
    const removed = await edit(store, { orderId: order.id, removeLineIds: [mugLine] });
    expect(removed.userErrors).toEqual([]);
    expect(removed.order.lines.find((line: any) => line.title === 'Mug')).toMatchObject({
      quantity: 2,
      fulfilledQuantity: 2,
    });
    expect(await stockOf(owner, mug)).toEqual({ available: 8, committed: 0 });
  });

  it('re-prices the order as checkout does: its discount code and the tax of its address', async () => {
    const store = await createStore(graph.client);
    await insertTaxRate(owner, store, 'DE', '0.19', false);
    const staffOptions = { token: store.owner.accessToken, store: store.slug };
    await graph.client.data(
      `mutation ($input: DiscountCodeCreateInput!) { discountCodeCreate(input: $input) { userErrors { code } } }`,
      { input: { code: 'TEN', type: 'PERCENTAGE', value: '10' } },
      staffOptions,
    );
    const mug = await createProduct(graph.client, store, stockedProductInput([{ price: '12.00' }], { title: 'Mug' }));
    const cart = await createCart(graph.client, store, [{ variantId: mug.variants[0]!.id, quantity: 3 }]);
    await graph.client.data(CART_CODES, { cartId: cart.id, codes: ['TEN'] }, { store: store.slug });
    const placed = await placeOrder(graph.client, store, cart.id);
    const order = await view(store, placed.id);
    // 36.00 − 3.60 = 32.40, + 19 % tax 6.16 = 38.56.
    expect(order).toMatchObject({ discountTotal: { amount: '3.60' }, taxTotal: { amount: '6.16' } });
    expect(order.total.amount).toBe('38.56');
    const edited = await edit(store, {
      orderId: order.id,
      updateLines: [{ orderLineId: order.lines[0].id, quantity: 5 }],
    });
    // 60.00 − 6.00 = 54.00, + 10.26 tax = 64.26.
    expect(edited.order).toMatchObject({
      subtotal: { amount: '60.00' },
      discountTotal: { amount: '6.00' },
      taxTotal: { amount: '10.26' },
      total: { amount: '64.26' },
      paymentStatus: 'PARTIALLY_PAID',
      totalOutstanding: { amount: '25.70' },
    });
  });

  it('an order awaiting a bank transfer is recorded paid for its edited total', async () => {
    const store = await createStore(graph.client);
    const mug = await createProduct(graph.client, store, stockedProductInput([{ price: '12.00' }], { title: 'Mug' }));
    const cart = await createCart(graph.client, store, [{ variantId: mug.variants[0]!.id, quantity: 3 }]);
    const placed = await placeOrder(graph.client, store, cart.id, { payment: { provider: 'MANUAL' } });
    const order = await view(store, placed.id);
    const edited = await edit(store, {
      orderId: order.id,
      updateLines: [{ orderLineId: order.lines[0].id, quantity: 4 }],
    });
    expect(edited.order).toMatchObject({ paymentStatus: 'PENDING', totalOutstanding: { amount: '48.00' } });
    const paid = await staff(
      store,
      `mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { order { paymentStatus totalPaid { amount } totalOutstanding { amount } } ${USER_ERRORS} } }`,
      { input: { orderId: order.id } },
    );
    expect(paid.orderMarkPaid.order).toEqual({
      paymentStatus: 'PAID',
      totalPaid: { amount: '48.00' },
      totalOutstanding: { amount: '0.00' },
    });
  });

  it('a customer cannot edit an order: staff with the orders permission only', async () => {
    const { store, order, mugLine } = await paidOrder();
    const customer = await signUpCustomer(graph.client, store);
    const response = await graph.client.execute(
      EDIT,
      { input: { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 4 }] }, key: unique('edit') },
      { token: customer.accessToken, store: store.slug },
    );
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect((await view(store, order.id)).total.amount).toBe('66.00');
  });

  it('refuses bad input and orders that are cancelled, with codes', async () => {
    const { store, order, mugLine } = await paidOrder();
    const bad = await edit(store, {
      orderId: order.id,
      addLines: [{ variantId: 'nope', quantity: 0, price: '-1' }],
      updateLines: [{ orderLineId: mugLine, quantity: -1 }],
    });
    expect(bad.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'NOT_FOUND',
      'INVALID',
      'NEGATIVE',
      'INVALID',
    ]);
    expect((await edit(store, { orderId: order.id })).userErrors[0].code).toBe('BLANK');
    await staff(store, CANCEL, { input: { orderId: order.id, reason: 'Changed mind' } });
    const cancelled = await edit(store, { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 4 }] });
    expect(cancelled.userErrors[0]).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('The order is CANCELLED'),
    });
  });
});

describe('orderEdit concurrency', () => {
  it('an edit and a fulfilment of the same order at once never ship removed units nor double count stock', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { store, order, mug, mugLine } = await paidOrder();
      const [edited, fulfilled] = await Promise.all([
        edit(store, { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 1 }] }),
        staff(store, FULFIL, { input: { orderId: order.id } }),
      ]);
      const after = await view(store, order.id);
      const line = after.lines.find((candidate: any) => candidate.title === 'Mug');
      const stock = await stockOf(owner, mug);
      if (edited.userErrors.length === 0) {
        // The edit went first: one mug left to ship, and it shipped.
        expect(line).toMatchObject({ quantity: 1, fulfilledQuantity: 1 });
        expect(stock).toEqual({ available: 9, committed: 0 });
      } else {
        // Everything shipped first: the order is no longer editable.
        expect(edited.userErrors[0].code).toBe('INVALID_TRANSITION');
        expect(line).toMatchObject({ quantity: 3, fulfilledQuantity: 3 });
        expect(stock).toEqual({ available: 7, committed: 0 });
      }
      expect(fulfilled.fulfillmentCreate.userErrors).toEqual([]);
      expect(after.fulfillmentStatus).toBe('FULFILLED');
    }
  });

  it('retries of one edit at once apply it once', async () => {
    const { store, order, mug, mugLine } = await paidOrder();
    const input = { orderId: order.id, updateLines: [{ orderLineId: mugLine, quantity: 5 }] };
    const results = await Promise.all([0, 1, 2].map(() => edit(store, input, 'same-edit')));
    for (const result of results) expect(result.userErrors).toEqual([]);
    const after = await view(store, order.id);
    expect(after.total.amount).toBe('90.00');
    expect(after.events.filter((event: any) => event.type === 'ORDER_EDITED')).toHaveLength(1);
    expect(await stockOf(owner, mug)).toEqual({ available: 5, committed: 5 });
  });

  it('concurrent edits of one order each apply once and never oversell', async () => {
    const { store, order, spoon } = await paidOrder();
    const results = await Promise.all(
      [0, 1, 2].map(() => edit(store, { orderId: order.id, addLines: [{ variantId: spoon, quantity: 1 }] })),
    );
    const applied = results.filter((result) => result.userErrors.length === 0);
    expect(applied).toHaveLength(2);
    expect(results.flatMap((result) => result.userErrors.map((error: { code: string }) => error.code))).toEqual([
      'OUT_OF_STOCK',
    ]);
    const after = await view(store, order.id);
    expect(after.lines.filter((line: any) => line.title === 'Spoon')).toHaveLength(2);
    expect(after.total.amount).toBe('74.00');
    expect(await stockOf(owner, spoon)).toEqual({ available: 0, committed: 2 });
  });
});
