import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  signUpCustomer,
  type TestStore,
} from '@commerce/testkit';
import { STORE_FOLLOW, STORE_UNFOLLOW } from '@commerce/testkit/customer-kit';

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

async function followersCount(store: TestStore): Promise<number> {
  const data = await graph.client.data(`{ store { followersCount } }`, {}, { store: store.slug });
  return data.store.followersCount;
}

describe('following a store', () => {
  it('counts a follower once however often they follow, and lists the store for them', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    expect(await followersCount(store)).toBe(0);

    const followed = await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
    expect(followed.storeFollow).toEqual({
      following: true,
      store: { id: store.id, followersCount: 1 },
      userErrors: [],
    });
    await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
    expect(await followersCount(store)).toBe(1);
    const mine = await graph.client.data(
      `{ currentCustomer { followedStores { id slug } } }`,
      {},
      { token: customer.accessToken },
    );
    expect(mine.currentCustomer.followedStores).toEqual([{ id: store.id, slug: store.slug }]);

    const unfollowed = await graph.client.data(STORE_UNFOLLOW, { storeId: store.id }, { token: customer.accessToken });
    expect(unfollowed.storeUnfollow).toMatchObject({ following: false, store: { followersCount: 0 } });
    await graph.client.data(STORE_UNFOLLOW, { storeId: store.id }, { token: customer.accessToken });
    expect(await followersCount(store)).toBe(0);
    const none = await graph.client.data(
      `{ currentCustomer { followedStores { id } } }`,
      {},
      { token: customer.accessToken },
    );
    expect(none.currentCustomer.followedStores).toEqual([]);

    const events = await owner.outboxEvent.findMany({ where: { storeId: keyOf(store.id), type: 'store.followed' } });
    expect(events.map((event) => event.payload)).toEqual([{ storeId: store.id, customerId: customer.id }]);
  });

  it('keeps the count exact under concurrent follows and unfollows, repeated ones included', async () => {
    const store = await createStore(graph.client);
    const customers = await Promise.all(Array.from({ length: 24 }, () => signUpCustomer(graph.client, store)));
    const send = (document: string, token: string) =>
      graph.client.data(document, { storeId: store.id }, { token }).then(() => undefined);

    await Promise.all(customers.flatMap((customer) => [0, 1].map(() => send(STORE_FOLLOW, customer.accessToken))));
    expect(await followersCount(store)).toBe(24);

    const leaving = customers.slice(0, 10);
    const staying = customers.slice(10);
    await Promise.all([
      ...leaving.flatMap((customer) => [0, 1].map(() => send(STORE_UNFOLLOW, customer.accessToken))),
      ...staying.map((customer) => send(STORE_FOLLOW, customer.accessToken)),
    ]);
    expect(await followersCount(store)).toBe(14);
    expect(await owner.storeFollow.count({ where: { storeId: keyOf(store.id) } })).toBe(14);
  });

  it('drops the follow of a customer who deletes their account', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
    const deleted = await graph.client.data(
      `mutation ($input: CustomerDeleteInput!) { customerDelete(input: $input) { userErrors { code } } }`,
      { input: { password: customer.password } },
      { token: customer.accessToken },
    );
    expect(deleted.customerDelete.userErrors).toEqual([]);
    expect(await followersCount(store)).toBe(0);
  });
});

describe('follows and tenancy', () => {
  it('lets a customer follow only the store of their account', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);

    const elsewhere = await graph.client.execute(STORE_FOLLOW, { storeId: other.id }, { token: customer.accessToken });
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);
    const named = await graph.client.execute(
      STORE_FOLLOW,
      { storeId: other.id },
      { token: customer.accessToken, store: other.slug },
    );
    expect(errorCodes(named)).toEqual(['FORBIDDEN']);
    const anonymous = await graph.client.execute(STORE_FOLLOW, { storeId: store.id }, { store: store.slug });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const seller = await graph.client.execute(
      STORE_FOLLOW,
      { storeId: store.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(seller)).toEqual(['UNAUTHENTICATED']);
    expect(await followersCount(other)).toBe(0);
  });

  it('shows a buyer with accounts in two stores each account’s follows with that account only', async () => {
    const first = await createStore(graph.client);
    const second = await createStore(graph.client);
    const email = `buyer-${Date.now()}@example.com`;
    const inFirst = await signUpCustomer(graph.client, first, { email });
    const inSecond = await signUpCustomer(graph.client, second, { email });
    await graph.client.data(STORE_FOLLOW, { storeId: first.id }, { token: inFirst.accessToken });
    await graph.client.data(STORE_FOLLOW, { storeId: second.id }, { token: inSecond.accessToken });

    const FOLLOWED = `{ currentCustomer { followedStores { id } } }`;
    expect((await graph.client.data(FOLLOWED, {}, { token: inFirst.accessToken })).currentCustomer).toEqual({
      followedStores: [{ id: first.id }],
    });
    expect((await graph.client.data(FOLLOWED, {}, { token: inSecond.accessToken })).currentCustomer).toEqual({
      followedStores: [{ id: second.id }],
    });
    // The other store's count is public in a request for that store; its followers are not.
    const counted = await graph.client.data(`{ store { followersCount } }`, {}, { store: second.slug });
    expect(counted.store.followersCount).toBe(1);
    const crossing = await graph.client.execute(FOLLOWED, {}, { token: inFirst.accessToken, store: second.slug });
    expect(errorCodes(crossing)).toEqual(['FORBIDDEN']);
  });
});
