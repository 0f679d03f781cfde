// Cross-tenant: staff and customers of store A reach nothing of store B through the cart, checkout
// and order operations, whichever store the request names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type GraphQLResponse,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  address,
  CART_ADDRESS,
  CART_CODES,
  CART_LINES_ADD,
  CART_LINES_REMOVE,
  CART_LINES_UPDATE,
  CART_QUERY,
  CHECKOUT,
  createCart,
  insertCustomer,
  type InsertedCustomer,
  placeOrder,
  stockedProductInput,
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

interface Tenant {
  store: TestStore;
  customer: InsertedCustomer;
  variantId: string;
  cart: { id: string };
  customerCart: { id: string };
  order: Record<string, any>;
  discountCodeId: string;
}

async function tenant(): Promise<Tenant> {
  const store = await createStore(graph.client);
  const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00', stock: 20 }]));
  const variantId = product.variants[0]!.id;
  const customer = await insertCustomer(owner, store);
  const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }]);
  const customerCart = await createCart(graph.client, store, [{ variantId, quantity: 1 }], customer.accessToken);
  const placed = await createCart(graph.client, store, [{ variantId, quantity: 2 }], customer.accessToken);
  const order = await placeOrder(graph.client, store, placed.id, {
    token: customer.accessToken,
    email: customer.email,
  });
  const code = await graph.client.data(
    `mutation { discountCodeCreate(input: { code: "TENANT", type: PERCENTAGE, value: "10" }) { discountCode { id } } }`,
    {},
    { token: store.owner.accessToken, store: store.slug },
  );
  return {
    store,
    customer,
    variantId,
    cart,
    customerCart,
    order,
    discountCodeId: code.discountCodeCreate.discountCode.id,
  };
}

const ORDER_MUTATIONS: [string, (order: Record<string, any>) => Record<string, unknown>][] = [
  [
    'mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id, reason: 'x' } }),
  ],
  [
    'mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: OrderMarkDeliveredInput!) { orderMarkDelivered(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: RefundCreateInput!) { refundCreate(input: $input, idempotencyKey: "k") { refund { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id, amount: '1.00', reason: 'x' } }),
  ],
  [
    'mutation ($input: OrderNoteAddInput!) { orderNoteAdd(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id, note: 'x' } }),
  ],
  [
    'mutation ($input: OrderAcceptInput!) { orderAccept(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: OrderRejectInput!) { orderReject(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id, reason: 'x' } }),
  ],
  [
    'mutation ($input: OrderMarkReadyForPickupInput!) { orderMarkReadyForPickup(input: $input) { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($input: OrderPaymentCaptureInput!) { orderPaymentCapture(input: $input, idempotencyKey: "k") { order { id } userErrors { code } } }',
    (order) => ({ input: { orderId: order.id } }),
  ],
  [
    'mutation ($orderId: ID!) { orderPaymentVoid(orderId: $orderId) { order { id } userErrors { code } } }',
    (order) => ({ orderId: order.id }),
  ],
];

/** A refusal: a GraphQL error with one of the codes, and no data of the other store. */
function expectRefused(response: GraphQLResponse<unknown>, codes: string[]): void {
  expect(errorCodes(response).length).toBeGreaterThan(0);
  for (const code of errorCodes(response)) expect(codes).toContain(code);
}

describe('cross-tenant access to carts and orders', () => {
  it("staff of store A cannot read or change store B's orders, in a request for A or for B", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const asStaffOfA = (store: TestStore) => ({ token: a.store.owner.accessToken, store: store.slug });
    for (const store of [a.store, b.store]) {
      const read = await graph.client.execute(
        `query ($id: ID!) { order(id: $id) { id } }`,
        { id: b.order.id },
        asStaffOfA(store),
      );
      expect(read.data?.order ?? null).toBeNull();
      for (const [mutation, variables] of ORDER_MUTATIONS) {
        const response = await graph.client.execute(mutation, variables(b.order), asStaffOfA(store));
        expectRefused(response, store === a.store ? ['NOT_FOUND'] : ['FORBIDDEN']);
      }
      const code = await graph.client.execute(
        `mutation ($id: ID!) { discountCodeUpdate(input: { id: $id, active: false }) { discountCode { id } } }`,
        { id: b.discountCodeId },
        asStaffOfA(store),
      );
      expectRefused(code, store === a.store ? ['NOT_FOUND'] : ['FORBIDDEN']);
    }
    const listing = await graph.client.execute(
      `query { store { orders(first: 10) { nodes { id } } } }`,
      {},
      asStaffOfA(b.store),
    );
    expectRefused(listing, ['FORBIDDEN']);
    const storeB = keyOf(b.store.id);
    const orderB = await owner.order.findUniqueOrThrow({
      where: { storeId_id: { storeId: storeB, id: keyOf(b.order.id) } },
    });
    expect([orderB.status, orderB.note, orderB.totalRefunded.toFixed(2)]).toEqual(['PENDING', '', '0.00']);
    const codeB = await owner.discountCode.findUniqueOrThrow({
      where: { storeId_id: { storeId: storeB, id: keyOf(b.discountCodeId) } },
    });
    expect(codeB.active).toBe(true);
  });

  it("customers and storefronts of store A cannot read or change store B's carts, orders or stock", async () => {
    const [a, b] = [await tenant(), await tenant()];
    const inA = { store: a.store.slug };
    const customerOfA = { token: a.customer.accessToken };
    // B's carts by id, in a request for A (anonymous, and as A's customer).
    for (const options of [inA, customerOfA]) {
      for (const cartId of [b.cart.id, b.customerCart.id]) {
        expect((await graph.client.data(CART_QUERY, { id: cartId }, options)).cart).toBeNull();
        expectRefused(
          await graph.client.execute(
            CART_LINES_ADD,
            { cartId, lines: [{ variantId: a.variantId, quantity: 1 }] },
            options,
          ),
          ['NOT_FOUND'],
        );
        expectRefused(await graph.client.execute(CART_LINES_UPDATE, { cartId, lines: [] }, options), ['NOT_FOUND']);
        expectRefused(await graph.client.execute(CART_LINES_REMOVE, { cartId, lineIds: [] }, options), ['NOT_FOUND']);
        expectRefused(await graph.client.execute(CART_CODES, { cartId, codes: ['X'] }, options), ['NOT_FOUND']);
        expectRefused(
          await graph.client.execute(CART_ADDRESS, { input: { cartId, shippingAddress: address() } }, options),
          ['NOT_FOUND'],
        );
        const checkout = await graph.client.execute(
          CHECKOUT,
          {
            key: 'cross',
            input: { cartId, email: 'x@example.com', shippingAddress: address(), payment: { provider: 'MANUAL' } },
          },
          options,
        );
        expectRefused(checkout, ['NOT_FOUND']);
      }
      expectRefused(
        await graph.client.execute(
          `mutation ($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId) { userErrors { code } } }`,
          { cartId: b.cart.id },
          customerOfA,
        ),
        ['NOT_FOUND'],
      );
      // B's variant in A's cart is no variant of A.
      const foreign = await graph.client.data(
        CART_LINES_ADD,
        { cartId: a.cart.id, lines: [{ variantId: b.variantId, quantity: 1 }] },
        inA,
      );
      expect(foreign.cartLinesAdd.userErrors.map((error: { code: string }) => error.code)).toEqual(['NOT_FOUND']);
    }
    // B's order: not by id, not by tracking, not through A's customer naming store B.
    expect(
      (await graph.client.data(`query ($id: ID!) { order(id: $id) { id } }`, { id: b.order.id }, customerOfA)).order,
    ).toBeNull();
    const tracked = await graph.client.data(
      `query ($n: String!, $e: String!) { orderTrack(number: $n, email: $e) { number } }`,
      { n: b.order.number, e: b.order.email },
      inA,
    );
    expect(tracked.orderTrack).toBeNull();
    expectRefused(
      await graph.client.execute(CART_QUERY, { id: b.cart.id }, { token: a.customer.accessToken, store: b.store.slug }),
      ['FORBIDDEN'],
    );
    const cancel = await graph.client.execute(ORDER_MUTATIONS[2]![0], ORDER_MUTATIONS[2]![1](b.order), customerOfA);
    expectRefused(cancel, ['NOT_FOUND']);

    // Nothing of B changed.
    const storeB = keyOf(b.store.id);
    const cartB = await owner.cart.findUniqueOrThrow({ where: { storeId_id: { storeId: storeB, id: b.cart.id } } });
    expect(cartB.discountCodes).toEqual([]);
    expect(await owner.cartLine.count({ where: { cartId: b.cart.id } })).toBe(1);
    const orderB = await owner.order.findUniqueOrThrow({
      where: { storeId_id: { storeId: storeB, id: keyOf(b.order.id) } },
    });
    expect(orderB.status).toBe('PENDING');
    const levels = await owner.inventoryLevel.findMany({ where: { variantId: keyOf(b.variantId) } });
    expect(levels.map((level) => [level.available, level.committed])).toEqual([[18, 2]]);
  });
});
