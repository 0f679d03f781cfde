import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAccessToken } from '@commerce/auth';
import { createStore, eventually, keyOf, signUpSeller, startTestGraph, type TestGraph } from '@commerce/testkit';
import { openSocket, Recording, type Socket, subscribeLive } from '@commerce/testkit/realtime-kit';

let graph: TestGraph;
const sockets: Socket[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ realtime: { maxSubscriptionsPerSocket: 2, maxSocketsPerClient: 2 } });
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await graph.close();
});

function socket(params: Parameters<typeof openSocket>[1] = {}): Socket {
  const opened = openSocket(graph.graph.url, params);
  sockets.push(opened);
  return opened;
}

const ORDERS = `subscription ($storeId: ID!) { orderCreated(storeId: $storeId) { sequence } }`;

describe('subscription limits', () => {
  it('refuses a subscription past the per-socket limit, and accepts one again after another completes', async () => {
    const store = await createStore(graph.client);
    const staff = socket({ token: store.owner.accessToken });
    const first = await subscribeLive(graph.graph, staff, ORDERS, { storeId: store.id });
    await subscribeLive(graph.graph, staff, ORDERS, { storeId: store.id });
    const third = new Recording(staff.client, ORDERS, { storeId: store.id });
    await third.ended();
    expect(third.errorCodes).toEqual(['TOO_MANY_SUBSCRIPTIONS']);

    first.dispose();
    const again = await subscribeLive(graph.graph, staff, ORDERS, { storeId: store.id });
    expect(again.error).toBeNull();
  });

  it('closes sockets past the per-client limit with 4429; other clients are not affected', async () => {
    const seller = await signUpSeller(graph.client);
    const [one, two] = [socket({ token: seller.accessToken }), socket({ token: seller.accessToken })];
    await eventually('two sockets', () => graph.graph.realtime.subscriptions.sockets >= 2);
    await Promise.all([
      subscribeLive(graph.graph, one, ORDERS, { storeId: 'none' }),
      subscribeLive(graph.graph, two, ORDERS, { storeId: 'none' }),
    ]);
    const three = socket({ token: seller.accessToken });
    expect((await three.closed).code).toBe(4429);

    const someoneElse = await signUpSeller(graph.client);
    const theirs = socket({ token: someoneElse.accessToken });
    const subscription = new Recording(theirs.client, ORDERS, { storeId: 'none' });
    await subscription.ended();
    expect(subscription.errorCodes).toEqual(['NOT_FOUND']);
  });

  it('closes a socket with 4401 when its access token expires', async () => {
    const store = await createStore(graph.client);
    const token = await issueAccessToken({ kind: 'seller', sellerId: keyOf(store.owner.id) }, 2);
    const staff = socket({ token });
    const orders = await subscribeLive(graph.graph, staff, ORDERS, { storeId: store.id });
    const closed = await staff.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/expired/);
    await orders.ended();
  });
});
