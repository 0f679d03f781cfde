import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, processStatementCount, type PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import {
  addStaffMember,
  createStore,
  errorCodes,
  executeSubgraph,
  insertOrder,
  keyOf,
  type OrderSeed,
  ownerPrisma,
  signUpSeller,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { insertCustomer } from '@commerce/testkit/checkout-kit';
import { createOrderSubgraph } from '../src/server.js';

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

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY);

const STORE_ORDERS = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: OrderFilter, $sortKey: OrderSortKeys, $reverse: Boolean) {
  store {
    orders(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortKey: $sortKey, reverse: $reverse) {
      nodes { number }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }
}`;

interface OrderPage {
  nodes: { number: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

async function storeOrders(
  store: TestStore,
  variables: Record<string, unknown>,
  token = store.owner.accessToken,
): Promise<OrderPage> {
  const data = await graph.client.data<{ store: { orders: OrderPage } }>(STORE_ORDERS, variables, {
    token,
    store: store.slug,
  });
  return data.store.orders;
}

async function numbers(store: TestStore, variables: Record<string, unknown>): Promise<string[]> {
  return (await storeOrders(store, { first: 100, sortKey: 'NUMBER', ...variables })).nodes.map((order) => order.number);
}

/** Pages through the whole list forwards and backwards, three at a time. */
async function pageThrough(
  store: TestStore,
  variables: Record<string, unknown>,
): Promise<{ forwards: string[]; backwards: string[] }> {
  const forwards: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await storeOrders(store, { ...variables, first: 3, after });
    forwards.push(...page.nodes.map((order) => order.number));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const backwards: string[] = [];
  let before: string | null = null;
  for (;;) {
    const page = await storeOrders(store, { ...variables, last: 3, before });
    backwards.unshift(...page.nodes.map((order) => order.number));
    if (!page.pageInfo.hasPreviousPage) break;
    before = page.pageInfo.startCursor;
  }
  return { forwards, backwards };
}

describe('orders of a store', () => {
  it('an order shows its number, totals in the store currency, lines and references', async () => {
    const store = await createStore(graph.client);
    const customer = await insertCustomer(owner, store);
    const productId = crypto.randomUUID();
    const variantId = crypto.randomUUID();
    const order = await insertOrder(owner, store, {
      number: 1001,
      customer,
      paymentStatus: 'PAID',
      subtotal: '27.5',
      total: '27.5',
      totalRefunded: '2.25',
      createdAt: at(0),
      lines: [
        {
          title: 'Mug',
          quantity: 2,
          unitPrice: '12.5',
          productId: toGlobalId('Product', productId),
          variantId: toGlobalId('ProductVariant', variantId),
        },
        { title: 'Gift wrap', quantity: 1, unitPrice: '2.5' },
      ],
    });
    const data = await graph.client.data(
      `query ($id: ID!) { order(id: $id) {
        id number email status paymentStatus fulfillmentStatus createdAt
        subtotal { amount currencyCode } discountTotal { amount } shippingTotal { amount } taxTotal { amount }
        total { amount currencyCode } totalRefunded { amount }
        customer { id }
        lines { title variantTitle quantity unitPrice { amount currencyCode } totalPrice { amount } product { id } variant { id } }
      } }`,
      { id: order.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(data.order).toEqual({
      id: order.id,
      number: '#1001',
      email: customer.email,
      status: 'PENDING',
      paymentStatus: 'PAID',
      fulfillmentStatus: 'UNFULFILLED',
      createdAt: at(0).toISOString(),
      subtotal: { amount: '27.50', currencyCode: 'EUR' },
      discountTotal: { amount: '0.00' },
      shippingTotal: { amount: '0.00' },
      taxTotal: { amount: '0.00' },
      total: { amount: '27.50', currencyCode: 'EUR' },
      totalRefunded: { amount: '2.25' },
      customer: { id: customer.id },
      lines: [
        {
          title: 'Mug',
          variantTitle: 'Default',
          quantity: 2,
          unitPrice: { amount: '12.50', currencyCode: 'EUR' },
          totalPrice: { amount: '25.00' },
          product: { id: toGlobalId('Product', productId) },
          variant: { id: toGlobalId('ProductVariant', variantId) },
        },
        {
          title: 'Gift wrap',
          variantTitle: 'Default',
          quantity: 1,
          unitPrice: { amount: '2.50', currencyCode: 'EUR' },
          totalPrice: { amount: '2.50' },
          product: null,
          variant: null,
        },
      ],
    });
  });

  it('staff filter orders by status, payment, fulfillment, placing time and number or email', async () => {
    const store = await createStore(graph.client);
    const seeds: OrderSeed[] = [
      { number: 1001, status: 'PENDING', email: 'alice@example.com', createdAt: at(0) },
      { number: 1002, status: 'CONFIRMED', paymentStatus: 'PAID', email: 'bob@example.com', createdAt: at(1) },
      {
        number: 1003,
        status: 'SHIPPED',
        paymentStatus: 'PAID',
        fulfillmentStatus: 'FULFILLED',
        email: 'ALICIA@shop.test',
        createdAt: at(2),
      },
      { number: 1004, status: 'CANCELLED', paymentStatus: 'REFUNDED', email: 'carol@example.com', createdAt: at(3) },
      {
        number: 1005,
        status: 'DELIVERED',
        paymentStatus: 'PARTIALLY_REFUNDED',
        fulfillmentStatus: 'DELIVERED',
        email: 'dave@example.com',
        createdAt: at(4),
      },
      {
        number: 1006,
        status: 'PROCESSING',
        paymentStatus: 'PAID',
        fulfillmentStatus: 'PARTIALLY_FULFILLED',
        email: '1003fan@example.com',
        createdAt: at(5),
      },
    ];
    for (const seed of seeds) await insertOrder(owner, store, seed);

    expect(await numbers(store, {})).toEqual(['#1001', '#1002', '#1003', '#1004', '#1005', '#1006']);
    expect(await numbers(store, { filter: { status: 'CONFIRMED' } })).toEqual(['#1002']);
    expect(await numbers(store, { filter: { paymentStatus: 'PAID' } })).toEqual(['#1002', '#1003', '#1006']);
    expect(await numbers(store, { filter: { fulfillmentStatus: 'UNFULFILLED' } })).toEqual(['#1001', '#1002', '#1004']);
    expect(
      await numbers(store, { filter: { createdAtMin: at(1).toISOString(), createdAtMax: at(3).toISOString() } }),
    ).toEqual(['#1002', '#1003']);
    expect(await numbers(store, { filter: { query: '#1003' } })).toEqual(['#1003']);
    expect(await numbers(store, { filter: { query: '1003' } })).toEqual(['#1003', '#1006']);
    expect(await numbers(store, { filter: { query: 'ali' } })).toEqual(['#1001', '#1003']);
    expect(await numbers(store, { filter: { query: ' ALICE ' } })).toEqual(['#1001']);
    expect(await numbers(store, { filter: { query: 'example.com' } })).toEqual([]);
    expect(await numbers(store, { filter: { query: '%' } })).toEqual([]);
    expect(await numbers(store, { filter: { query: '_lice' } })).toEqual([]);
    expect(await numbers(store, { filter: { query: '#99999999999' } })).toEqual([]);
    expect(await numbers(store, { filter: { paymentStatus: 'PAID', query: 'ali' } })).toEqual(['#1003']);

    const counted = await storeOrders(store, { first: 1, filter: { paymentStatus: 'PAID' } });
    expect(counted.totalCount).toBe(3);
    expect(counted.pageInfo.hasNextPage).toBe(true);
  });

  it('staff sort by placing time, number and total, and paging either way visits each order once', async () => {
    const store = await createStore(graph.client);
    const seeds: OrderSeed[] = [
      { number: 1001, createdAt: at(3), total: '30.00' },
      { number: 1002, createdAt: at(1), total: '5.00' },
      { number: 1003, createdAt: at(6), total: '12.50' },
      { number: 1004, createdAt: at(0), total: '5.00' },
      { number: 1005, createdAt: at(5), total: '99.99' },
      { number: 1006, createdAt: at(2), total: '0.50' },
      { number: 1007, createdAt: at(4), total: '12.50' },
    ];
    const rows = await Promise.all(
      seeds.map(async (seed) => ({ ...seed, key: keyOf((await insertOrder(owner, store, seed)).id) })),
    );
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    const expected: Record<string, string[]> = {
      CREATED_AT: ['#1004', '#1002', '#1006', '#1001', '#1007', '#1005', '#1003'],
      NUMBER: ['#1001', '#1002', '#1003', '#1004', '#1005', '#1006', '#1007'],
      // Equal totals are ordered by id, as the cursors are.
      TOTAL: [...rows]
        .sort((a, b) => new Prisma.Decimal(a.total ?? 0).comparedTo(new Prisma.Decimal(b.total ?? 0)) || byKey(a, b))
        .map((row) => `#${row.number}`),
    };
    for (const [sortKey, ascending] of Object.entries(expected)) {
      for (const reverse of [false, true]) {
        const list = reverse ? [...ascending].reverse() : ascending;
        const { forwards, backwards } = await pageThrough(store, { sortKey, reverse });
        expect(forwards, `${sortKey} reverse=${reverse} forwards`).toEqual(list);
        expect(backwards, `${sortKey} reverse=${reverse} backwards`).toEqual(list);
      }
    }
  });

  it('a cursor of another sort order, or a forged one, is BAD_USER_INPUT', async () => {
    const store = await createStore(graph.client);
    for (const number of [1001, 1002]) await insertOrder(owner, store, { number });
    const page = await storeOrders(store, { first: 1, sortKey: 'NUMBER' });
    const response = await graph.client.execute(
      STORE_ORDERS,
      { first: 1, after: page.pageInfo.endCursor, sortKey: 'TOTAL' },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    const forged = Buffer.from(JSON.stringify(['number', 1001, 'not-an-order'])).toString('base64url');
    const forgedResponse = await graph.client.execute(
      STORE_ORDERS,
      { first: 1, after: forged, sortKey: 'NUMBER' },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(forgedResponse)).toEqual(['BAD_USER_INPUT']);
  });

  it('a STAFF member lists orders; a seller who is not staff is FORBIDDEN and an anonymous caller UNAUTHENTICATED', async () => {
    const store = await createStore(graph.client);
    const order = await insertOrder(owner, store, { number: 1001 });
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect((await storeOrders(store, { first: 10 }, staff.accessToken)).nodes).toEqual([{ number: '#1001' }]);
    const byId = `query ($id: ID!) { order(id: $id) { number } }`;
    expect(
      (await graph.client.data(byId, { id: order.id }, { token: staff.accessToken, store: store.slug })).order,
    ).toEqual({ number: '#1001' });

    const stranger = await signUpSeller(graph.client);
    const forbidden = await graph.client.execute(
      STORE_ORDERS,
      { first: 10 },
      { token: stranger.accessToken, store: store.slug },
    );
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    expect(
      (await graph.client.data(byId, { id: order.id }, { token: stranger.accessToken, store: store.slug })).order,
    ).toBeNull();

    const anonymous = await graph.client.execute(STORE_ORDERS, { first: 10 }, { store: store.slug });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect((await graph.client.data(byId, { id: order.id }, { store: store.slug })).order).toBeNull();
  });

  it("a signed-in customer listing the store's orders gets their own only, filtered and sorted as staff get them", async () => {
    const store = await createStore(graph.client);
    const alice = await insertCustomer(owner, store);
    const bob = await insertCustomer(owner, store);
    await insertOrder(owner, store, { number: 1001, customer: alice, total: '30.00' });
    await insertOrder(owner, store, { number: 1002, customer: bob, total: '20.00' });
    await insertOrder(owner, store, { number: 1003, customer: alice, total: '10.00', status: 'CANCELLED' });
    await insertOrder(owner, store, { number: 1004 });

    const mine = await storeOrders(store, { first: 10, sortKey: 'TOTAL' }, alice.accessToken);
    expect(mine.nodes).toEqual([{ number: '#1003' }, { number: '#1001' }]);
    expect(mine.totalCount).toBe(2);
    expect((await storeOrders(store, { first: 10, filter: { status: 'CANCELLED' } }, alice.accessToken)).nodes).toEqual(
      [{ number: '#1003' }],
    );
    expect((await storeOrders(store, { first: 10, filter: { query: '1002' } }, alice.accessToken)).nodes).toEqual([]);
    expect((await storeOrders(store, { first: 10 }, bob.accessToken)).nodes).toEqual([{ number: '#1002' }]);
    expect((await storeOrders(store, { first: 10, sortKey: 'NUMBER' })).nodes).toEqual([
      { number: '#1001' },
      { number: '#1002' },
      { number: '#1003' },
      { number: '#1004' },
    ]);
  });

  it("an order of store B is null in store A's request, even for a seller who owns both", async () => {
    const storeA = await createStore(graph.client);
    const storeB = await createStore(graph.client, { owner: storeA.owner });
    await insertOrder(owner, storeA, { number: 1001 });
    const orderB = await insertOrder(owner, storeB, { number: 1002 });
    const query = `query ($id: ID!) { order(id: $id) { number } node(id: $id) { ... on Order { number } } }`;
    const inA = await graph.client.data(
      query,
      { id: orderB.id },
      { token: storeA.owner.accessToken, store: storeA.slug },
    );
    expect(inA.order).toBeNull();
    expect(inA.node).toBeNull();
    expect((await storeOrders(storeA, { first: 10 })).nodes).toEqual([{ number: '#1001' }]);
    const inB = await graph.client.data(
      query,
      { id: orderB.id },
      { token: storeA.owner.accessToken, store: storeB.slug },
    );
    expect(inB).toEqual({ order: { number: '#1002' }, node: { number: '#1002' } });
  });

  it('listing 5 or 30 orders with their lines runs the same number of SQL statements', async () => {
    const store = await createStore(graph.client);
    for (let index = 0; index < 30; index += 1) {
      await insertOrder(owner, store, {
        number: 1001 + index,
        createdAt: at(index),
        lines: [
          { title: 'Tea', quantity: 1, unitPrice: '4.20' },
          { title: 'Cup', quantity: 2, unitPrice: '7.00' },
          { title: 'Saucer', quantity: 3, unitPrice: '3.10' },
        ],
      });
    }
    const query = `query ($first: Int) { store { orders(first: $first) { nodes { number lines { title quantity unitPrice { amount } } } } } }`;
    const options = { token: store.owner.accessToken, store: store.slug };
    await graph.client.data(query, { first: 1 }, options);
    const statements = async (first: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(query, { first }, options);
      expect(data.store.orders.nodes).toHaveLength(first);
      expect(data.store.orders.nodes[0].lines).toEqual([
        { title: 'Tea', quantity: 1, unitPrice: { amount: '4.20' } },
        { title: 'Cup', quantity: 2, unitPrice: { amount: '7.00' } },
        { title: 'Saucer', quantity: 3, unitPrice: { amount: '3.10' } },
      ]);
      return processStatementCount.value - before;
    };
    expect(await statements(30)).toBe(await statements(5));
  });
});

describe("a customer's orders", () => {
  it('a customer reads their own order by id and by node, and gets null for anyone else’s', async () => {
    const store = await createStore(graph.client);
    const alice = await insertCustomer(owner, store);
    const bob = await insertCustomer(owner, store);
    const own = await insertOrder(owner, store, { number: 1001, customer: alice });
    const bobs = await insertOrder(owner, store, { number: 1002, customer: bob });
    const guest = await insertOrder(owner, store, { number: 1003 });
    const query = `query ($id: ID!) { order(id: $id) { number customer { id } } node(id: $id) { id ... on Order { number } } }`;

    const mine = await graph.client.data(query, { id: own.id }, { token: alice.accessToken });
    expect(mine).toEqual({
      order: { number: '#1001', customer: { id: alice.id } },
      node: { id: own.id, number: '#1001' },
    });
    for (const other of [bobs, guest]) {
      const hidden = await graph.client.data(query, { id: other.id }, { token: alice.accessToken });
      expect(hidden.order).toBeNull();
      expect(hidden.node).toBeNull();
    }
    const anonymous = await graph.client.data(query, { id: own.id }, { store: store.slug });
    expect(anonymous.order).toBeNull();
  });

  it('a customer pages through their own orders, newest first, from an order of theirs', async () => {
    const store = await createStore(graph.client);
    const alice = await insertCustomer(owner, store);
    const bob = await insertCustomer(owner, store);
    const placed: { id: string }[] = [];
    for (const [index, days] of [2, 0, 4, 1, 3].entries()) {
      placed.push(
        await insertOrder(owner, store, {
          number: 1001 + index,
          customer: alice,
          createdAt: at(days),
          total: `${index + 1}.5`,
        }),
      );
    }
    await insertOrder(owner, store, { number: 1010, customer: bob, createdAt: at(5) });
    await insertOrder(owner, store, { number: 1011, createdAt: at(6) });
    const newestFirst = ['#1003', '#1005', '#1001', '#1004', '#1002'];
    const query = `query ($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      order(id: $id) { customer { orders(first: $first, after: $after, last: $last, before: $before) {
        nodes { number createdAt total { amount currencyCode } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
      } } }
    }`;
    const page = async (variables: Record<string, unknown>): Promise<OrderPage> =>
      (await graph.client.data(query, { id: placed[0]?.id, ...variables }, { token: alice.accessToken })).order.customer
        .orders;

    const first = await page({ first: 2 });
    expect(first.nodes).toEqual([
      { number: '#1003', createdAt: at(4).toISOString(), total: { amount: '3.50', currencyCode: 'EUR' } },
      { number: '#1005', createdAt: at(3).toISOString(), total: { amount: '5.50', currencyCode: 'EUR' } },
    ]);
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const forwards: string[] = [];
    let after: string | null = null;
    for (;;) {
      const current = await page({ first: 2, after });
      forwards.push(...current.nodes.map((order) => order.number));
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(forwards).toEqual(newestFirst);

    const backwards: string[] = [];
    let before: string | null = null;
    for (;;) {
      const current = await page({ last: 2, before });
      backwards.unshift(...current.nodes.map((order) => order.number));
      if (!current.pageInfo.hasPreviousPage) break;
      before = current.pageInfo.startCursor;
    }
    expect(backwards).toEqual(newestFirst);
  });

  it("a customer cannot list another customer's orders; staff with the orders permission can", async () => {
    const store = await createStore(graph.client);
    const alice = await insertCustomer(owner, store);
    const bob = await insertCustomer(owner, store);
    const bobs = await insertOrder(owner, store, { number: 1001, customer: bob });
    const entities = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { orders { nodes { number } } } } }`;
    const representations = [{ __typename: 'Customer', id: bob.id }];
    const orderSubgraph = createOrderSubgraph();

    const asAlice = await executeSubgraph(
      orderSubgraph,
      graph.database,
      entities,
      { representations },
      { token: alice.accessToken },
    );
    expect(asAlice.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const asBob = await executeSubgraph(
      orderSubgraph,
      graph.database,
      entities,
      { representations },
      { token: bob.accessToken },
    );
    expect(asBob.data?._entities).toEqual([{ orders: { nodes: [{ number: '#1001' }] } }]);
    const stranger = await signUpSeller(graph.client);
    const asStranger = await executeSubgraph(
      orderSubgraph,
      graph.database,
      entities,
      { representations },
      { token: stranger.accessToken, store: store.slug },
    );
    expect(asStranger.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    const asStaff = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { customer { orders { nodes { number } totalCount } } } }`,
      { id: bobs.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(asStaff.order.customer.orders).toEqual({ nodes: [{ number: '#1001' }], totalCount: 1 });
  });

  it("a page of orders loads its customers' orders in one batch, whatever the page size", async () => {
    const store = await createStore(graph.client);
    for (let index = 0; index < 8; index += 1) {
      const customer = await insertCustomer(owner, store);
      for (let placed = 0; placed < 3; placed += 1) {
        await insertOrder(owner, store, {
          number: 1001 + index * 3 + placed,
          customer,
          createdAt: at(placed * 10 + index),
        });
      }
    }
    const query = `query ($first: Int) { store { orders(first: $first, sortKey: NUMBER) { nodes { number customer { orders(first: 2) { nodes { number } totalCount } } } } } }`;
    const options = { token: store.owner.accessToken, store: store.slug };
    await graph.client.data(query, { first: 1 }, options);
    const statements = async (first: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(query, { first }, options);
      expect(data.store.orders.nodes[0]).toEqual({
        number: '#1001',
        customer: { orders: { nodes: [{ number: '#1003' }, { number: '#1002' }], totalCount: 3 } },
      });
      return processStatementCount.value - before;
    };
    expect(await statements(24)).toBe(await statements(3));
  });
});
