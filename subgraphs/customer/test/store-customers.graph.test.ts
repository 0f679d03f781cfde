import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount, type PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  signUpSeller,
  sharedTestGraph,
  type TestCustomer,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';

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

const CUSTOMERS = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: CustomerFilter, $sortKey: CustomerSortKeys, $reverse: Boolean) {
  store {
    customers(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortKey: $sortKey, reverse: $reverse) {
      edges { cursor node { id lastName } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

const NODE = `query ($id: ID!) { node(id: $id) { id ... on Customer { email displayName } } }`;

interface Page {
  edges: { cursor: string; node: { id: string; lastName: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function customersPage(store: TestStore, token: string, variables: Record<string, unknown>): Promise<Page> {
  const data = await graph.client.data(CUSTOMERS, variables, { token, store: store.slug });
  return data.store.customers;
}

/** Every id of the list, walking pages of two forwards with `after`, then backwards with `before`. */
async function walk(store: TestStore, token: string, order: { sortKey: string; reverse: boolean }) {
  const forwards: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 10; guard += 1) {
    const page: Page = await customersPage(store, token, { ...order, first: 2, after });
    forwards.push(...page.edges.map((edge) => edge.node.id));
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  const backwards: string[] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 10; guard += 1) {
    const page: Page = await customersPage(store, token, { ...order, last: 2, before });
    backwards.unshift(...page.edges.map((edge) => edge.node.id));
    expect(page.pageInfo.hasNextPage).toBe(before !== null);
    if (!page.pageInfo.hasPreviousPage) break;
    before = page.pageInfo.startCursor;
  }
  return { forwards, backwards };
}

/** Order statistics of the arranged customers, by sign-up position (none for Ann). */
const STATS: ({ ordersCount: number; totalSpent: string; lastOrderAt: Date | null } | null)[] = [
  { ordersCount: 2, totalSpent: '50.00', lastOrderAt: new Date('2026-01-05T10:00:00Z') },
  null,
  { ordersCount: 2, totalSpent: '120.50', lastOrderAt: new Date('2026-03-01T10:00:00Z') },
  { ordersCount: 5, totalSpent: '50.00', lastOrderAt: new Date('2026-01-05T10:00:00Z') },
  { ordersCount: 0, totalSpent: '0', lastOrderAt: null },
];

describe('Store.customers and customer visibility through the gateway', () => {
  let store: TestStore;
  /** In sign-up order. */
  let customers: (TestCustomer & { lastName: string })[];

  beforeAll(async () => {
    store = await createStore(graph.client);
    customers = [];
    // Two customers share a last name, so NAME order falls back to the id.
    for (const [firstName, lastName] of [
      ['Carl', 'Baker'],
      ['Ann', 'Doyle'],
      ['Bea', 'Adams'],
      ['Dan', 'Baker'],
      ['Eve', 'Clark'],
    ] as const) {
      customers.push({ ...(await signUpCustomer(graph.client, store, { firstName, lastName })), lastName });
    }
    // Order statistics as the order subgraph keeps them; Ann has none, Eve a row without orders.
    for (const [index, row] of STATS.entries()) {
      const customer = customers[index];
      if (!customer || !row) continue;
      await owner.customerOrderStats.create({
        data: {
          storeId: keyOf(store.id),
          customerId: keyOf(customer.id),
          ordersCount: row.ordersCount,
          totalSpent: row.totalSpent,
          lastOrderAt: row.lastOrderAt,
        },
      });
    }
  });

  /** The arranged customers ordered by a value, ties by id (as the connection orders them). */
  function orderedBy(value: (index: number) => number | string): string[] {
    return customers
      .map((customer, index) => ({ id: customer.id, key: keyOf(customer.id), value: value(index) }))
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : a.key < b.key ? -1 : 1))
      .map((entry) => entry.id);
  }

  it('the OWNER lists the store’s customers with a total count', async () => {
    const data = await graph.client.data(
      `{ store { customers(first: 10) { totalCount nodes { id email displayName } } } }`,
      {},
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(data.store.customers.totalCount).toBe(5);
    expect(data.store.customers.nodes.map((node: { id: string }) => node.id)).toEqual(
      customers.map((customer) => customer.id),
    );
    expect(data.store.customers.nodes[0]).toEqual({
      id: customers[0]?.id,
      email: customers[0]?.email,
      displayName: 'Carl Baker',
    });
  });

  it('paging every sort key forwards and backwards visits each customer once, in order', async () => {
    const byCreation = customers.map((customer) => customer.id);
    const byName = [...customers]
      .sort((a, b) => (a.lastName < b.lastName ? -1 : a.lastName > b.lastName ? 1 : keyOf(a.id) < keyOf(b.id) ? -1 : 1))
      .map((customer) => customer.id);
    // Customers without statistics count as 0 orders, 0 spent, never ordered.
    const expected: Record<string, string[]> = {
      CREATED_AT: byCreation,
      NAME: byName,
      ORDERS_COUNT: orderedBy((index) => STATS[index]?.ordersCount ?? 0),
      TOTAL_SPENT: orderedBy((index) => Math.round(Number(STATS[index]?.totalSpent ?? 0) * 100)),
      LAST_ORDER_AT: orderedBy((index) => STATS[index]?.lastOrderAt?.getTime() ?? 0),
    };
    expect(expected.ORDERS_COUNT?.slice(-1)).toEqual([customers[3]?.id]);
    expect(expected.TOTAL_SPENT?.slice(-1)).toEqual([customers[2]?.id]);
    for (const sortKey of Object.keys(expected)) {
      for (const reverse of [false, true]) {
        const order = reverse ? [...(expected[sortKey] ?? [])].reverse() : expected[sortKey];
        const { forwards, backwards } = await walk(store, store.owner.accessToken, { sortKey, reverse });
        expect({ sortKey, reverse, ids: forwards }).toEqual({ sortKey, reverse, ids: order });
        expect({ sortKey, reverse, ids: backwards }).toEqual({ sortKey, reverse, ids: order });
      }
    }
  });

  it('hasOrders, status and the sign-up range narrow the list', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (await customersPage(store, store.owner.accessToken, { first: 10, filter })).edges.map((edge) => edge.node.id);
    expect(await ids({ hasOrders: true })).toEqual([customers[0]?.id, customers[2]?.id, customers[3]?.id]);
    expect(await ids({ hasOrders: false })).toEqual([customers[1]?.id, customers[4]?.id]);

    const rows = await owner.customer.findMany({
      where: { storeId: keyOf(store.id) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const third = rows[2];
    if (!third) throw new Error('arranged customers are missing');
    expect(await ids({ createdAtMin: third.createdAt.toISOString() })).toEqual(
      customers.slice(2).map((customer) => customer.id),
    );
    expect(await ids({ createdAtMax: third.createdAt.toISOString() })).toEqual(
      customers.slice(0, 2).map((customer) => customer.id),
    );
    expect(await ids({ status: 'ACTIVE', hasOrders: true, createdAtMin: third.createdAt.toISOString() })).toEqual([
      customers[2]?.id,
      customers[3]?.id,
    ]);
    expect(await ids({ status: 'BLOCKED' })).toEqual([]);
  });

  it('query finds customers by the start of their phone number or full name', async () => {
    const target = customers[4];
    if (!target) throw new Error('arranged customers are missing');
    await owner.customer.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(target.id) } },
      data: { phone: '+493012345678' },
    });
    const ids = async (query: string) =>
      (await customersPage(store, store.owner.accessToken, { first: 10, filter: { query } })).edges.map(
        (edge) => edge.node.id,
      );
    expect(await ids('+49 30 123')).toEqual([target.id]);
    expect(await ids('4930')).toEqual([target.id]);
    expect(await ids('+4931')).toEqual([]);
    expect(await ids('eve cla')).toEqual([target.id]);
  });

  it('sorting by order statistics loads a page in a fixed number of statements', async () => {
    const query = `query ($first: Int) { store { customers(first: $first, sortKey: TOTAL_SPENT, filter: { hasOrders: true }) { totalCount nodes { id } } } }`;
    const statements = async (first: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(query, { first }, { token: store.owner.accessToken, store: store.slug });
      return {
        count: processStatementCount.value - before,
        nodes: data.store.customers.nodes,
        total: data.store.customers.totalCount,
      };
    };
    await statements(1);
    const small = await statements(1);
    const large = await statements(3);
    expect(large.count).toBe(small.count);
    expect(large.total).toBe(3);
    expect(large.nodes.map((node: { id: string }) => node.id)).toEqual(
      orderedBy((index) => Math.round(Number(STATS[index]?.totalSpent ?? 0) * 100)).filter((id) =>
        [customers[0]?.id, customers[2]?.id, customers[3]?.id].includes(id),
      ),
    );
  });

  it('a cursor of another sort key is BAD_USER_INPUT', async () => {
    const page = await customersPage(store, store.owner.accessToken, { first: 1, sortKey: 'CREATED_AT' });
    const response = await graph.client.execute(
      CUSTOMERS,
      { first: 1, after: page.pageInfo.endCursor, sortKey: 'NAME' },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('query matches the start of an email or name, ignoring case, and tag and group narrow the list', async () => {
    const target = customers[2];
    if (!target) throw new Error('arranged customers are missing');
    const ids = async (filter: Record<string, unknown>) =>
      (await customersPage(store, store.owner.accessToken, { first: 10, filter })).edges.map((edge) => edge.node.id);

    expect(await ids({ query: target.email.slice(0, 14).toUpperCase() })).toEqual([target.id]);
    expect(await ids({ query: 'adA' })).toEqual([target.id]);
    expect(await ids({ query: 'bea' })).toEqual([target.id]);
    expect(await ids({ query: 'baker' })).toEqual([customers[0]?.id, customers[3]?.id]);
    // Only the start matches, and LIKE wildcards are plain characters.
    expect(await ids({ query: 'dams' })).toEqual([]);
    expect(await ids({ query: '%' })).toEqual([]);
    expect(await ids({ query: '_' })).toEqual([]);

    await owner.customer.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(target.id) } },
      data: { tags: ['wholesale'], group: 'VIP' },
    });
    expect(await ids({ tag: 'wholesale' })).toEqual([target.id]);
    expect(await ids({ group: 'VIP' })).toEqual([target.id]);
    expect(await ids({ group: 'VIP', query: 'zz' })).toEqual([]);
  });

  it('a query with _ or % matches those characters literally', async () => {
    const ownStore = await createStore(graph.client);
    const tag = unique('q');
    const literal = await signUpCustomer(graph.client, ownStore, { email: `${tag}_50%@example.com` });
    await signUpCustomer(graph.client, ownStore, { email: `${tag}x50x@example.com` });
    const page = await customersPage(ownStore, ownStore.owner.accessToken, {
      first: 10,
      filter: { query: `${tag}_50%` },
    });
    expect(page.edges.map((edge) => edge.node.id)).toEqual([literal.id]);
  });

  it('ADMIN staff may list customers; STAFF and MANAGER are FORBIDDEN; sellers outside the store too', async () => {
    const admin = await addStaffMember(graph.client, owner, store, 'ADMIN');
    expect((await customersPage(store, admin.accessToken, { first: 1 })).edges).toHaveLength(1);
    for (const role of ['STAFF', 'MANAGER'] as const) {
      const member = await addStaffMember(graph.client, owner, store, role);
      const response = await graph.client.execute(
        CUSTOMERS,
        { first: 1 },
        { token: member.accessToken, store: store.slug },
      );
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
    const stranger = await signUpSeller(graph.client);
    expect(
      errorCodes(
        await graph.client.execute(CUSTOMERS, { first: 1 }, { token: stranger.accessToken, store: store.slug }),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('anonymous callers and customers are UNAUTHENTICATED', async () => {
    expect(errorCodes(await graph.client.execute(CUSTOMERS, { first: 1 }, { store: store.slug }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const customer = customers[0];
    if (!customer) throw new Error('arranged customers are missing');
    expect(errorCodes(await graph.client.execute(CUSTOMERS, { first: 1 }, { token: customer.accessToken }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('a customer reads themself through node(id:), but not another customer; staff with the customers permission can', async () => {
    const [me, other] = customers;
    if (!me || !other) throw new Error('arranged customers are missing');
    const own = await graph.client.data(NODE, { id: me.id }, { token: me.accessToken });
    expect(own.node).toEqual({ id: me.id, email: me.email, displayName: 'Carl Baker' });
    const hidden = await graph.client.data(NODE, { id: other.id }, { token: me.accessToken });
    expect(hidden.node).toBeNull();

    const staffView = await graph.client.data(
      NODE,
      { id: other.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(staffView.node).toEqual({ id: other.id, email: other.email, displayName: 'Ann Doyle' });
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(
      (await graph.client.data(NODE, { id: other.id }, { token: clerk.accessToken, store: store.slug })).node,
    ).toBeNull();
    expect((await graph.client.data(NODE, { id: other.id }, { store: store.slug })).node).toBeNull();
  });

  it("staff of another store cannot read this store's customers through node(id:)", async () => {
    const otherStore = await createStore(graph.client);
    const target = customers[1];
    if (!target) throw new Error('arranged customers are missing');
    const data = await graph.client.data(
      NODE,
      { id: target.id },
      { token: otherStore.owner.accessToken, store: otherStore.slug },
    );
    expect(data.node).toBeNull();
  });

  it('addresses and default addresses of a page load in a fixed number of statements', async () => {
    const listStore = await createStore(graph.client);
    const list: TestCustomer[] = [];
    for (let index = 0; index < 5; index += 1)
      list.push(await signUpCustomer(graph.client, listStore, { lastName: `Walker${index}` }));
    for (const customer of list) {
      const customerId = keyOf(customer.id);
      const storeId = keyOf(listStore.id);
      const home = await owner.customerAddress.create({
        data: { storeId, customerId, address1: 'Main Street 1', city: 'Berlin', countryCode: 'DE' },
      });
      // A millisecond later: addresses list oldest first, and rows of one millisecond in id order.
      await owner.customerAddress.create({
        data: {
          storeId,
          customerId,
          address1: 'Side Street 2',
          city: 'Hamburg',
          countryCode: 'DE',
          createdAt: new Date(home.createdAt.getTime() + 1),
        },
      });
      await owner.customer.update({
        where: { storeId_id: { storeId, id: customerId } },
        data: { defaultShippingAddressId: home.id },
      });
    }
    const query = `query ($first: Int) { store { customers(first: $first) { nodes { id addresses { id city } defaultAddress { id city } } } } }`;
    const statements = async (first: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(
        query,
        { first },
        { token: listStore.owner.accessToken, store: listStore.slug },
      );
      return { count: processStatementCount.value - before, nodes: data.store.customers.nodes };
    };
    await statements(1); // warms the store resolution cache
    const small = await statements(2);
    const large = await statements(5);
    expect(large.count).toBe(small.count);
    expect(large.nodes).toHaveLength(5);
    for (const node of large.nodes) {
      expect(node.addresses.map((address: { city: string }) => address.city)).toEqual(['Berlin', 'Hamburg']);
      expect(node.defaultAddress).toEqual(node.addresses[0]);
    }
  });
});
