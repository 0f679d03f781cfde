import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  signUpCustomer,
  type TestCustomer,
  type TestStore,
} from '@commerce/testkit';
import { LOG_IN, mailsTo } from '@commerce/testkit/customer-kit';

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

const DELETE = `mutation ($input: CustomerDeleteInput!) { customerDelete(input: $input) { deletedCustomerId userErrors { field code } } }`;
const REFRESH = `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { userErrors { code } } }`;

/** A customer with an address and an order, as the order subgraph would have written it. */
async function customerWithHistory(store: TestStore): Promise<{ customer: TestCustomer; orderId: string }> {
  const customer = await signUpCustomer(graph.client, store, { firstName: 'Grace', lastName: 'Hopper' });
  const storeId = keyOf(store.id);
  const customerId = keyOf(customer.id);
  const address = await owner.customerAddress.create({
    data: {
      storeId,
      customerId,
      firstName: 'Grace',
      lastName: 'Hopper',
      address1: 'Main Street 1',
      city: 'Berlin',
      countryCode: 'DE',
    },
  });
  await owner.customer.update({
    where: { storeId_id: { storeId, id: customerId } },
    data: { phone: '+49301234567', defaultShippingAddressId: address.id, note: 'Called twice' },
  });
  const order = await owner.order.create({
    data: {
      storeId,
      number: 1001,
      customerId,
      email: customer.email,
      currencyCode: 'EUR',
      subtotal: '20.00',
      total: '20.00',
      shippingAddress: {
        firstName: 'Grace',
        lastName: 'Hopper',
        address1: 'Main Street 1',
        city: 'Berlin',
        countryCode: 'DE',
      },
    },
  });
  return { customer, orderId: order.id };
}

async function expectAnonymised(store: TestStore, customer: TestCustomer, orderId: string): Promise<void> {
  const storeId = keyOf(store.id);
  const row = await owner.customer.findUniqueOrThrow({ where: { storeId_id: { storeId, id: keyOf(customer.id) } } });
  expect(row).toMatchObject({
    email: `deleted-${row.id}@deleted.invalid`,
    passwordHash: null,
    firstName: '',
    lastName: '',
    phone: null,
    note: '',
    status: 'DELETED',
    defaultShippingAddressId: null,
    defaultBillingAddressId: null,
  });
  expect(await owner.customerAddress.count({ where: { customerId: row.id } })).toBe(0);
  expect(await owner.customerRefreshToken.count({ where: { customerId: row.id } })).toBe(0);
  const order = await owner.order.findUniqueOrThrow({ where: { storeId_id: { storeId, id: orderId } } });
  expect(order).toMatchObject({ customerId: row.id, email: customer.email });
  expect(order.shippingAddress).toMatchObject({ lastName: 'Hopper' });
}

describe('deleting a customer account on request', () => {
  it('the customer deletes their account with their password: personal data is erased, sessions end, orders stay', async () => {
    const store = await createStore(graph.client);
    const { customer, orderId } = await customerWithHistory(store);
    const wrong = await graph.client.data(
      DELETE,
      { input: { password: 'not my password' } },
      { token: customer.accessToken },
    );
    expect(wrong.customerDelete).toEqual({
      deletedCustomerId: null,
      userErrors: [{ field: ['input', 'password'], code: 'INVALID_CREDENTIALS' }],
    });
    const missing = await graph.client.data(DELETE, { input: {} }, { token: customer.accessToken });
    expect(missing.customerDelete.userErrors).toEqual([{ field: ['input', 'password'], code: 'BLANK' }]);

    const deleted = await graph.client.data(
      DELETE,
      { input: { password: customer.password } },
      { token: customer.accessToken },
    );
    expect(deleted.customerDelete).toEqual({ deletedCustomerId: customer.id, userErrors: [] });
    await expectAnonymised(store, customer, orderId);
    expect(await mailsTo(owner, store, customer.email)).toEqual([]);

    expect((await graph.client.data(REFRESH, { token: customer.refreshToken })).tokenRefresh.userErrors).toEqual([
      { code: 'INVALID_REFRESH_TOKEN' },
    ]);
    expect(
      (await graph.client.data(`{ currentCustomer { id } }`, {}, { token: customer.accessToken })).currentCustomer,
    ).toBeNull();
    const logIn = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(logIn.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    // The address is free again.
    const again = await signUpCustomer(graph.client, store, { email: customer.email });
    expect(again.id).not.toBe(customer.id);
  });

  it('staff with the customers permission delete a customer; other staff and other customers cannot', async () => {
    const store = await createStore(graph.client);
    const { customer, orderId } = await customerWithHistory(store);
    const other = await signUpCustomer(graph.client, store);
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(
      errorCodes(
        await graph.client.execute(
          DELETE,
          { input: { id: customer.id } },
          { token: clerk.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await graph.client.execute(
          DELETE,
          { input: { id: customer.id, password: other.password } },
          { token: other.accessToken },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const otherStore = await createStore(graph.client);
    expect(
      errorCodes(
        await graph.client.execute(
          DELETE,
          { input: { id: customer.id } },
          { token: otherStore.owner.accessToken, store: otherStore.slug },
        ),
      ),
    ).toEqual(['NOT_FOUND']);

    const admin = await addStaffMember(graph.client, owner, store, 'ADMIN');
    const deleted = await graph.client.data(
      DELETE,
      { input: { id: customer.id } },
      { token: admin.accessToken, store: store.slug },
    );
    expect(deleted.customerDelete).toEqual({ deletedCustomerId: customer.id, userErrors: [] });
    await expectAnonymised(store, customer, orderId);
    const twice = await graph.client.data(
      DELETE,
      { input: { id: customer.id } },
      { token: admin.accessToken, store: store.slug },
    );
    expect(twice.customerDelete.userErrors).toEqual([{ field: ['input', 'id'], code: 'ALREADY_DELETED' }]);
    expect((await graph.client.data(REFRESH, { token: customer.refreshToken })).tokenRefresh.userErrors).toEqual([
      { code: 'INVALID_REFRESH_TOKEN' },
    ]);

    const listed = await graph.client.data(
      `{ store { customers(first: 10, filter: { status: DELETED }) { nodes { id email displayName status addresses { id } } } } }`,
      {},
      { token: admin.accessToken, store: store.slug },
    );
    expect(listed.store.customers.nodes).toEqual([
      {
        id: customer.id,
        email: `deleted-${keyOf(customer.id)}@deleted.invalid`,
        displayName: `deleted-${keyOf(customer.id)}@deleted.invalid`,
        status: 'DELETED',
        addresses: [],
      },
    ]);
  });
});
