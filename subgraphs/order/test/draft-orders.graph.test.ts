// Draft orders through the gateway: staff build an order for a customer who phones in, priced as
// checkout prices a cart, and complete it into an order with checkout's stock and order rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpSeller,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  address,
  CART_ADDRESS,
  CART_CODES,
  createCart,
  insertCustomer,
  insertShippingZone,
  insertTaxRate,
  MONEY,
  ORDER_FIELDS,
  stockedProductInput,
  stockOf,
} from '@commerce/testkit/checkout-kit';
import { asApp, createApp } from '@commerce/testkit/store-kit';

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

const DRAFT_FIELDS = `
  id status customerId email note
  lines { variantId title variantTitle quantity unitPrice { amount } priceOverridden taxable subtotal { amount } discount { amount } tax { amount } }
  cost { subtotal { ${MONEY} } discounts { amount } shipping { amount } tax { amount } taxesIncluded total { ${MONEY} } }
  discountCodes { code applicable reason }
  selectedShippingRate { name price { amount } }
  order { id number }`;
const USER_ERRORS = 'userErrors { field message code availableQuantity }';
const CREATE = `mutation ($input: DraftOrderCreateInput!) { draftOrderCreate(input: $input) { draftOrder { ${DRAFT_FIELDS} } ${USER_ERRORS} } }`;
const UPDATE = `mutation ($input: DraftOrderUpdateInput!) { draftOrderUpdate(input: $input) { draftOrder { ${DRAFT_FIELDS} } ${USER_ERRORS} } }`;
const DELETE = `mutation ($id: ID!) { draftOrderDelete(draftOrderId: $id) { deletedDraftOrderId ${USER_ERRORS} } }`;
const COMPLETE = `mutation ($input: DraftOrderCompleteInput!, $key: String!) {
  draftOrderComplete(input: $input, idempotencyKey: $key) {
    draftOrder { id status order { id } }
    order { ${ORDER_FIELDS} events { type message actorType } payments { provider status } }
    ${USER_ERRORS}
  }
}`;
const DRAFTS = `query ($first: Int) { store { draftOrders(first: $first) { nodes { id status cost { total { amount } } } totalCount } } }`;

const staffOf = (store: TestStore) => ({ token: store.owner.accessToken, store: store.slug });

async function createDraft(store: TestStore, input: Record<string, unknown>): Promise<Record<string, any>> {
  const data = await graph.client.data(CREATE, { input }, staffOf(store));
  if (data.draftOrderCreate.userErrors.length) throw new Error(JSON.stringify(data.draftOrderCreate.userErrors));
  return data.draftOrderCreate.draftOrder;
}

function complete(store: TestStore, draftOrderId: string, key: string, payment: Record<string, string>) {
  return graph.client.data(COMPLETE, { input: { draftOrderId, payment }, key }, staffOf(store));
}

/** A store with a shipping zone, an inclusive tax rate, a 10 % code and a product of two stocked variants. */
async function pricedStore(stock = 10) {
  const store = await createStore(graph.client);
  const product = await createProduct(
    graph.client,
    store,
    stockedProductInput(
      [
        { price: '19.99', stock, size: 'M' },
        { price: '24.50', stock, size: 'L' },
      ],
      { title: 'Linen Tee' },
    ),
  );
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
  await insertTaxRate(owner, store, 'DE', '0.19', true);
  await owner.discountCode.create({ data: { storeId: keyOf(store.id), code: 'TEN', type: 'PERCENTAGE', value: '10' } });
  const [medium, large] = product.variants as { id: string }[];
  if (!medium || !large) throw new Error('The product has no two variants.');
  return { store, medium, large };
}

describe('draft orders', () => {
  it('prices a draft exactly as checkout prices a cart of the same lines, code and address', async () => {
    const { store, medium, large } = await pricedStore();
    const lines = [
      { variantId: medium.id, quantity: 2 },
      { variantId: large.id, quantity: 1 },
    ];
    const cart = await createCart(graph.client, store, lines);
    await graph.client.data(CART_CODES, { cartId: cart.id, codes: ['ten'] }, { store: store.slug });
    const priced = await graph.client.data(
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('DE') } },
      { store: store.slug },
    );

    const draft = await createDraft(store, {
      email: 'phone@example.com',
      lines,
      shippingAddress: address('DE'),
      discountCodes: ['ten'],
      note: 'Called in on Monday',
    });

    expect(draft.cost).toEqual(priced.cartShippingAddressUpdate.cart.cost);
    expect(draft).toMatchObject({
      status: 'OPEN',
      note: 'Called in on Monday',
      discountCodes: [{ code: 'ten', applicable: true, reason: null }],
      selectedShippingRate: { name: 'Standard', price: { amount: '4.90' } },
      order: null,
    });
    expect(draft.cost.total.amount).toBe('62.93');
  });

  it('updates lines with a price override and an untaxed custom line, and lists drafts for staff', async () => {
    const { store, medium } = await pricedStore();
    const draft = await createDraft(store, {
      email: 'phone@example.com',
      lines: [{ variantId: medium.id, quantity: 1 }],
      shippingAddress: address('DE'),
    });

    const data = await graph.client.data(
      UPDATE,
      {
        input: {
          draftOrderId: draft.id,
          lines: [
            { variantId: medium.id, quantity: 2, priceOverride: '15.00' },
            { title: 'Gift wrapping', price: '3.00', quantity: 1, taxable: false },
          ],
        },
      },
      staffOf(store),
    );
    expect(data.draftOrderUpdate.userErrors).toEqual([]);
    const updated = data.draftOrderUpdate.draftOrder;
    // 30.00 taxed inclusive: 30 × 19/119 = 4.79; the wrapping untaxed; shipping 4.90.
    expect(updated.lines).toEqual([
      expect.objectContaining({
        title: 'Linen Tee',
        unitPrice: { amount: '15.00' },
        priceOverridden: true,
        tax: { amount: '4.79' },
      }),
      expect.objectContaining({ variantId: null, title: 'Gift wrapping', taxable: false, tax: { amount: '0.00' } }),
    ]);
    expect(updated.cost).toMatchObject({
      subtotal: { amount: '33.00' },
      tax: { amount: '4.79' },
      total: { amount: '37.90' },
    });

    const listed = await graph.client.data(DRAFTS, { first: 10 }, staffOf(store));
    expect(listed.store.draftOrders).toEqual({
      nodes: [{ id: draft.id, status: 'OPEN', cost: { total: { amount: '37.90' } } }],
      totalCount: 1,
    });
  });

  it('completes a draft into a paid order: stock reserved, totals as priced, timeline and order.created', async () => {
    const { store, medium, large } = await pricedStore();
    const customer = await insertCustomer(owner, store);
    const draft = await createDraft(store, {
      customerId: customer.id,
      email: customer.email,
      lines: [
        { variantId: medium.id, quantity: 2 },
        { variantId: large.id, quantity: 1, priceOverride: '20.00' },
        { title: 'Engraving', price: '5.00', quantity: 1, taxable: false },
      ],
      shippingAddress: address('DE'),
      discountCodes: ['TEN'],
    });

    const data = await complete(store, draft.id, 'draft-1', { provider: 'TEST_CARD', cardNumber: '4242424242424242' });

    expect(data.draftOrderComplete.userErrors).toEqual([]);
    const order = data.draftOrderComplete.order;
    expect(order).toMatchObject({
      paymentStatus: 'PAID',
      email: customer.email,
      customer: { id: customer.id },
      total: { amount: draft.cost.total.amount },
      subtotal: { amount: draft.cost.subtotal.amount },
      discountTotal: { amount: draft.cost.discounts.amount },
      taxTotal: { amount: draft.cost.tax.amount },
      discountCodes: ['TEN'],
      payments: [{ provider: 'TEST_CARD', status: 'PAID' }],
    });
    expect(order.lines.map((line: any) => [line.title, line.quantity, line.unitPrice.amount])).toEqual([
      ['Linen Tee', 2, '19.99'],
      ['Linen Tee', 1, '20.00'],
      ['Engraving', 1, '5.00'],
    ]);
    expect(order.events[0]).toMatchObject({ type: 'PLACED', actorType: 'STAFF' });
    expect(order.events[0].message).toMatch(/placed by staff from a draft order/);
    expect(data.draftOrderComplete.draftOrder).toEqual({ id: draft.id, status: 'COMPLETED', order: { id: order.id } });
    expect(await stockOf(owner, medium.id)).toEqual({ available: 8, committed: 2 });
    expect(await stockOf(owner, large.id)).toEqual({ available: 9, committed: 1 });
    const created = await owner.outboxEvent.findMany({ where: { storeId: keyOf(store.id), type: 'order.created' } });
    expect(created.map((event) => event.aggregateId)).toEqual([keyOf(order.id)]);

    // Completed once: it cannot change, be deleted or be completed again with another key.
    const again = await complete(store, draft.id, 'draft-2', { provider: 'MANUAL' });
    expect(again.draftOrderComplete.userErrors.map((error: any) => error.code)).toEqual(['DRAFT_ORDER_COMPLETED']);
    const change = await graph.client.data(UPDATE, { input: { draftOrderId: draft.id, note: 'late' } }, staffOf(store));
    expect(change.draftOrderUpdate.userErrors.map((error: any) => error.code)).toEqual(['DRAFT_ORDER_COMPLETED']);
    const removal = await graph.client.data(DELETE, { id: draft.id }, staffOf(store));
    expect(removal.draftOrderDelete.userErrors.map((error: any) => error.code)).toEqual(['DRAFT_ORDER_COMPLETED']);
  });

  it('completes with an invoice (MANUAL) as a pending order', async () => {
    const { store, medium } = await pricedStore();
    const draft = await createDraft(store, {
      email: 'invoice@example.com',
      lines: [{ variantId: medium.id, quantity: 1 }],
      shippingAddress: address('DE'),
    });
    const data = await complete(store, draft.id, 'invoice-1', { provider: 'MANUAL' });
    expect(data.draftOrderComplete.userErrors).toEqual([]);
    expect(data.draftOrderComplete.order).toMatchObject({
      paymentStatus: 'PENDING',
      payments: [{ provider: 'MANUAL' }],
    });
  });

  it('parallel completes of one draft with one key place exactly one order and reserve stock once', async () => {
    const { store, medium } = await pricedStore();
    const draft = await createDraft(store, {
      email: 'rush@example.com',
      lines: [{ variantId: medium.id, quantity: 3 }],
      shippingAddress: address('DE'),
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => complete(store, draft.id, 'same-key', { provider: 'MANUAL' })),
    );
    const orderIds = new Set(results.map((result) => result.draftOrderComplete.order?.id));
    expect(results.flatMap((result) => result.draftOrderComplete.userErrors)).toEqual([]);
    expect(orderIds.size).toBe(1);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(1);
    expect(await stockOf(owner, medium.id)).toEqual({ available: 7, committed: 3 });
  });

  it('parallel completes of one draft with different keys place one order; the others are told it completed', async () => {
    const { store, medium } = await pricedStore();
    const draft = await createDraft(store, {
      email: 'rush@example.com',
      lines: [{ variantId: medium.id, quantity: 1 }],
      shippingAddress: address('DE'),
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, index) => complete(store, draft.id, `key-${index}`, { provider: 'MANUAL' })),
    );
    const placed = results.filter((result) => result.draftOrderComplete.order);
    expect(placed).toHaveLength(1);
    expect(
      results.flatMap((result) => result.draftOrderComplete.userErrors.map((error: { code: string }) => error.code)),
    ).toEqual(Array(4).fill('DRAFT_ORDER_COMPLETED'));
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(1);
    expect(await stockOf(owner, medium.id)).toEqual({ available: 9, committed: 1 });
  });

  it('refuses a completion beyond the stock and writes nothing', async () => {
    const { store, medium } = await pricedStore(2);
    const draft = await createDraft(store, {
      email: 'many@example.com',
      lines: [{ variantId: medium.id, quantity: 3 }],
      shippingAddress: address('DE'),
    });
    const eventsBefore = await owner.outboxEvent.count({ where: { storeId: keyOf(store.id) } });
    const data = await complete(store, draft.id, 'short', { provider: 'MANUAL' });
    expect(data.draftOrderComplete).toMatchObject({
      order: null,
      userErrors: [{ code: 'INSUFFICIENT_STOCK', availableQuantity: 2 }],
    });
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
    expect(await stockOf(owner, medium.id)).toEqual({ available: 2, committed: 0 });
    expect(await owner.outboxEvent.count({ where: { storeId: keyOf(store.id) } })).toBe(eventsBefore);
    const listed = await graph.client.data(DRAFTS, { first: 10 }, staffOf(store));
    expect(listed.store.draftOrders.nodes[0].status).toBe('OPEN');
  });

  it('refuses a completion whose code stopped applying and writes nothing; an unknown customer is NOT_FOUND', async () => {
    const { store, medium } = await pricedStore();
    const draft = await createDraft(store, {
      email: 'late@example.com',
      lines: [{ variantId: medium.id, quantity: 1 }],
      shippingAddress: address('DE'),
      discountCodes: ['TEN'],
    });
    await owner.discountCode.updateMany({ where: { storeId: keyOf(store.id), code: 'TEN' }, data: { active: false } });
    const data = await complete(store, draft.id, 'inactive', { provider: 'MANUAL' });
    expect(data.draftOrderComplete.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'DISCOUNT_CODE_NOT_APPLICABLE',
    ]);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
    expect(await stockOf(owner, medium.id)).toEqual({ available: 10, committed: 0 });

    const other = await createStore(graph.client);
    const stranger = await insertCustomer(owner, other);
    const change = await graph.client.data(
      UPDATE,
      { input: { draftOrderId: draft.id, customerId: stranger.id } },
      staffOf(store),
    );
    expect(change.draftOrderUpdate).toMatchObject({
      draftOrder: null,
      userErrors: [{ field: ['input', 'customerId'], code: 'NOT_FOUND' }],
    });
  });

  it('answers bad input with userErrors and codes', async () => {
    const { store, medium } = await pricedStore();
    const data = await graph.client.data(
      CREATE,
      {
        input: {
          email: 'not-an-email',
          lines: [
            { variantId: medium.id, quantity: 0 },
            { title: 'Custom', quantity: 1 },
            { title: ' ', price: '-1', quantity: 1 },
            { variantId: 'nope', quantity: 1 },
            { variantId: medium.id, quantity: 1, priceOverride: '1.001' },
          ],
        },
      },
      staffOf(store),
    );
    expect(data.draftOrderCreate.draftOrder).toBeNull();
    expect(data.draftOrderCreate.userErrors.map((error: any) => [error.field.join('.'), error.code])).toEqual([
      ['input.email', 'INVALID'],
      ['input.lines.0.quantity', 'INVALID'],
      ['input.lines.1.price', 'BLANK'],
      ['input.lines.2.title', 'BLANK'],
      ['input.lines.2.price', 'INVALID'],
      ['input.lines.3.variantId', 'NOT_FOUND'],
      ['input.lines.4.priceOverride', 'INVALID'],
    ]);

    const empty = await createDraft(store, { email: 'empty@example.com', lines: [], shippingAddress: address('DE') });
    const completion = await complete(store, empty.id, 'empty', { provider: 'MANUAL' });
    expect(completion.draftOrderComplete.userErrors.map((error: any) => error.code)).toEqual(['DRAFT_ORDER_EMPTY']);

    const deleted = await graph.client.data(DELETE, { id: empty.id }, staffOf(store));
    expect(deleted.draftOrderDelete).toEqual({ deletedDraftOrderId: empty.id, userErrors: [] });
    const missing = await complete(store, empty.id, 'gone', { provider: 'MANUAL' });
    expect(missing.draftOrderComplete.userErrors.map((error: any) => error.code)).toEqual(['NOT_FOUND']);
  });

  it('staff and apps with the orders permission build drafts; other sellers, apps, customers and anonymous callers may not', async () => {
    const { store, medium } = await pricedStore();
    const input = { email: 'x@example.com', lines: [{ variantId: medium.id, quantity: 1 }] };
    const stranger = await signUpSeller(graph.client);
    const customer = await insertCustomer(owner, store);
    expect(
      errorCodes(await graph.client.execute(CREATE, { input }, { token: stranger.accessToken, store: store.slug })),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await graph.client.execute(CREATE, { input }, { token: customer.accessToken, store: store.slug })),
    ).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graph.client.execute(CREATE, { input }, { store: store.slug }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(errorCodes(await graph.client.execute(DRAFTS, { first: 5 }, { store: store.slug }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(errorCodes(await graph.client.execute(CREATE, { input }, asApp(app)))).toEqual(['FORBIDDEN']);
    expect(await owner.draftOrder.count({ where: { storeId: keyOf(store.id) } })).toBe(0);

    const orderApp = await createApp(graph.client, store, ['MANAGE_ORDERS']);
    const byApp = await graph.client.data(CREATE, { input }, asApp(orderApp));
    expect(byApp.draftOrderCreate.userErrors).toEqual([]);
  });
});
