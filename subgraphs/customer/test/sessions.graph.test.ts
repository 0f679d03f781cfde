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
} from '@commerce/testkit';
import { LOG_IN } from '@commerce/testkit/customer-kit';

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

const REFRESH = `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { code } } }`;
const EVERYWHERE = `mutation { customerLogOutEverywhere { revokedSessions userErrors { code } } }`;
const CHANGE = `mutation ($input: CustomerPasswordChangeInput!) {
  customerPasswordChange(input: $input) { customer { id } accessToken refreshToken userErrors { field code } }
}`;
const STAFF_UPDATE = `mutation ($input: CustomerUpdateByStaffInput!) {
  customerUpdateByStaff(input: $input) { customer { id status note tags group } userErrors { field code } }
}`;

function refreshCodes(token: string): Promise<string[]> {
  return graph.client
    .data(REFRESH, { token })
    .then((data) => data.tokenRefresh.userErrors.map((error: { code: string }) => error.code));
}

describe('customer sessions', () => {
  it('customerLogOutEverywhere ends the sessions of every device of that customer only', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const otherCustomer = await signUpCustomer(graph.client, store);
    const secondDevice = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );

    const done = await graph.client.data(EVERYWHERE, {}, { token: customer.accessToken });
    expect(done.customerLogOutEverywhere).toEqual({ revokedSessions: 2, userErrors: [] });
    expect(await refreshCodes(customer.refreshToken)).toEqual(['REFRESH_TOKEN_REUSED']);
    expect(await refreshCodes(secondDevice.customerLogIn.refreshToken)).toEqual(['REFRESH_TOKEN_REUSED']);
    expect(await refreshCodes(otherCustomer.refreshToken)).toEqual([]);

    // Signing in again starts a new session.
    const again = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(await refreshCodes(again.customerLogIn.refreshToken)).toEqual([]);
  });

  it('customerLogOutEverywhere needs a signed-in customer', async () => {
    const store = await createStore(graph.client);
    expect(errorCodes(await graph.client.execute(EVERYWHERE, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(await graph.client.execute(EVERYWHERE, {}, { store: store.slug, token: store.owner.accessToken })),
    ).toEqual(['UNAUTHENTICATED']);
  });

  it('a password change needs the current password, ends other sessions and continues with new tokens', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const wrong = await graph.client.data(
      CHANGE,
      { input: { currentPassword: 'not my password', newPassword: 'a fresh passphrase' } },
      { token: customer.accessToken },
    );
    expect(wrong.customerPasswordChange).toEqual({
      customer: null,
      accessToken: null,
      refreshToken: null,
      userErrors: [{ field: ['input', 'currentPassword'], code: 'INVALID_CREDENTIALS' }],
    });
    const weak = await graph.client.data(
      CHANGE,
      { input: { currentPassword: customer.password, newPassword: 'short' } },
      { token: customer.accessToken },
    );
    expect(weak.customerPasswordChange.userErrors).toEqual([
      { field: ['input', 'newPassword'], code: 'WEAK_PASSWORD' },
    ]);

    const changed = await graph.client.data(
      CHANGE,
      { input: { currentPassword: customer.password, newPassword: 'a fresh passphrase' } },
      { token: customer.accessToken },
    );
    expect(changed.customerPasswordChange).toMatchObject({ customer: { id: customer.id }, userErrors: [] });
    expect(await refreshCodes(customer.refreshToken)).toEqual(['REFRESH_TOKEN_REUSED']);
    expect(await refreshCodes(changed.customerPasswordChange.refreshToken)).toEqual([]);
    const me = await graph.client.data(
      `{ currentCustomer { id } }`,
      {},
      { token: changed.customerPasswordChange.accessToken },
    );
    expect(me.currentCustomer.id).toBe(customer.id);

    const oldPassword = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(oldPassword.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    const newPassword = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: 'a fresh passphrase' } },
      { store: store.slug },
    );
    expect(newPassword.customerLogIn.userErrors).toEqual([]);
  });

  it('staff suspending or blocking a customer ends their sessions and refuses log-in; reactivating lets them in again', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const suspended = await graph.client.data(
      STAFF_UPDATE,
      {
        input: {
          id: customer.id,
          status: 'SUSPENDED',
          note: 'Chargebacks',
          tags: [' vip ', 'vip', 'b2b'],
          group: 'GOLD',
        },
      },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(suspended.customerUpdateByStaff).toEqual({
      customer: { id: customer.id, status: 'SUSPENDED', note: 'Chargebacks', tags: ['vip', 'b2b'], group: 'GOLD' },
      userErrors: [],
    });
    expect(await refreshCodes(customer.refreshToken)).toEqual(['INVALID_REFRESH_TOKEN']);
    const refused = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(refused.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual(['ACCOUNT_DISABLED']);
    // The access token still verifies until it expires, but the account can change nothing.
    expect(errorCodes(await graph.client.execute(EVERYWHERE, {}, { token: customer.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);

    await graph.client.data(
      STAFF_UPDATE,
      { input: { id: customer.id, status: 'BLOCKED' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    const blocked = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(blocked.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual(['ACCOUNT_DISABLED']);

    await graph.client.data(
      STAFF_UPDATE,
      { input: { id: customer.id, status: 'ACTIVE' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    const back = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(back.customerLogIn.userErrors).toEqual([]);
  });

  it('customerUpdateByStaff needs the customers permission and refuses DELETED as a status', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(
      errorCodes(
        await graph.client.execute(
          STAFF_UPDATE,
          { input: { id: customer.id, note: 'x' } },
          { token: clerk.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await graph.client.execute(
          STAFF_UPDATE,
          { input: { id: customer.id, note: 'x' } },
          { token: customer.accessToken },
        ),
      ),
    ).toEqual(['UNAUTHENTICATED']);
    const deleted = await graph.client.data(
      STAFF_UPDATE,
      { input: { id: customer.id, status: 'DELETED' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(deleted.customerUpdateByStaff.userErrors).toEqual([{ field: ['input', 'status'], code: 'INVALID' }]);
    const row = await owner.customer.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(customer.id) } },
    });
    expect(row.status).toBe('ACTIVE');
  });

  it('staff read a customer through customer(id), with notes; the customer never sees the notes', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await owner.customer.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(customer.id) } },
      data: { note: 'Prefers phone calls' },
    });
    const query = `query ($id: ID!) { customer(id: $id) { id email note } }`;
    const staffView = await graph.client.data(
      query,
      { id: customer.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(staffView.customer).toEqual({ id: customer.id, email: customer.email, note: 'Prefers phone calls' });
    const own = await graph.client.data(`{ currentCustomer { note } }`, {}, { token: customer.accessToken });
    expect(own.currentCustomer.note).toBeNull();

    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    expect(
      errorCodes(
        await graph.client.execute(query, { id: customer.id }, { token: manager.accessToken, store: store.slug }),
      ),
    ).toEqual(['FORBIDDEN']);
    const otherStore = await createStore(graph.client);
    const foreign = await graph.client.data(
      query,
      { id: customer.id },
      { token: otherStore.owner.accessToken, store: otherStore.slug },
    );
    expect(foreign.customer).toBeNull();
  });
});
