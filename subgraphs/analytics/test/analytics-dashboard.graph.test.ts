// The dashboard a seller runs the business on, through the gateway, over orders placed, refunded and
// cancelled through the API: each change moves the figures once the consumer has applied it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  analyticsCaughtUp,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { firstVariantId } from '@commerce/testkit/catalog-kit';
import { checkout, createCart, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';

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

const DASHBOARD = `query ($range: DateRangeInput!, $sortKey: ProductSalesSortKey) {
  store {
    analytics(range: $range) {
      upToSequence asOf
      sales {
        revenue { amount } ordersCount averageOrderValue { amount }
        grossSales { amount } discounts { amount } refunds { amount } netSales { amount }
        shipping { amount } tax { amount } total { amount }
      }
      topProducts(first: 5, sortKey: $sortKey) { product { id title } unitsSold netSales { amount } ordersCount }
      customers { new returning repeatRate averageLifetimeValue { amount } }
      conversion { carts checkouts orders rate cartToCheckoutRate checkoutToOrderRate }
    }
  }
}`;

const DAY_MS = 86_400_000;
/** Yesterday to the day after tomorrow (UTC days): today's orders, wherever the clock is in the day. */
function aroundToday() {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { from: new Date(today - DAY_MS).toISOString(), to: new Date(today + 2 * DAY_MS).toISOString() };
}

async function dashboard(store: TestStore, sortKey = 'NET_SALES', token = store.owner.accessToken) {
  await analyticsCaughtUp(owner, store);
  return graph.client.execute(DASHBOARD, { range: aroundToday(), sortKey }, { token, store: store.slug });
}

async function mutate(store: TestStore, query: string, variables: Record<string, unknown>) {
  const response = await graph.client.execute(query, variables, { token: store.owner.accessToken, store: store.slug });
  expect(response.errors).toBeUndefined();
  return response.data;
}

describe('the analytics dashboard', () => {
  it('sales, top products, buyers and the funnel follow orders, refunds and cancellations', async () => {
    const store = await createStore(graph.client);
    const lamp = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00' }], { title: 'Lamp' }));
    const bulb = await createProduct(graph.client, store, stockedProductInput([{ price: '5.00' }], { title: 'Bulb' }));
    const customer = await signUpCustomer(graph.client, store);

    const first = await createCart(graph.client, store, [
      { variantId: firstVariantId(lamp), quantity: 2 },
      { variantId: firstVariantId(bulb), quantity: 1 },
    ]);
    const guestOrder = await placeOrder(graph.client, store, first.id, { email: `${unique('ada')}@example.com` });
    const second = await createCart(
      graph.client,
      store,
      [{ variantId: firstVariantId(bulb), quantity: 3 }],
      customer.accessToken,
    );
    const customerOrder = await placeOrder(graph.client, store, second.id, {
      token: customer.accessToken,
      email: customer.email,
    });
    // A checkout refused (an empty cart) counts as an attempt.
    const empty = await createCart(graph.client, store, []);
    const refused = await checkout(graph.client, store, empty.id);
    expect(refused.data?.checkoutComplete.userErrors).toMatchObject([{ code: 'CART_EMPTY' }]);

    const placed = await dashboard(store);
    expect(placed.errors).toBeUndefined();
    const analytics = placed.data?.store.analytics;
    expect(analytics.sales).toEqual({
      revenue: { amount: '60.00' },
      ordersCount: 2,
      averageOrderValue: { amount: '30.00' },
      grossSales: { amount: '60.00' },
      discounts: { amount: '0.00' },
      refunds: { amount: '0.00' },
      netSales: { amount: '60.00' },
      shipping: { amount: '0.00' },
      tax: { amount: '0.00' },
      total: { amount: '60.00' },
    });
    expect(analytics.topProducts).toEqual([
      { product: { id: lamp.id, title: 'Lamp' }, unitsSold: 2, netSales: { amount: '40.00' }, ordersCount: 1 },
      { product: { id: bulb.id, title: 'Bulb' }, unitsSold: 4, netSales: { amount: '20.00' }, ordersCount: 2 },
    ]);
    expect(analytics.customers).toEqual({
      new: 2,
      returning: 0,
      repeatRate: 0,
      averageLifetimeValue: { amount: '30.00' },
    });
    expect(analytics.conversion).toEqual({
      carts: 3,
      checkouts: 3,
      orders: 2,
      rate: 2 / 3,
      cartToCheckoutRate: 1,
      checkoutToOrderRate: 2 / 3,
    });
    expect(BigInt(analytics.upToSequence)).toBeGreaterThan(0n);
    expect(analytics.asOf).not.toBeNull();
    const byUnits = await dashboard(store, 'UNITS');
    expect(byUnits.data?.store.analytics.topProducts.map((entry: { unitsSold: number }) => entry.unitsSold)).toEqual([
      4, 2,
    ]);
    // Both rankings in one request (summed once) answer as each alone does.
    const both = await graph.client.execute(
      `query ($range: DateRangeInput!) { store { analytics(range: $range) {
        bySales: topProducts(first: 5) { product { id } unitsSold netSales { amount } }
        byUnits: topProducts(first: 1, sortKey: UNITS) { product { id } unitsSold netSales { amount } }
      } } }`,
      { range: aroundToday() },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(both.errors).toBeUndefined();
    const strip = (entries: { product: { id: string }; unitsSold: number; netSales: { amount: string } }[]) =>
      entries.map(({ product, unitsSold, netSales }) => ({ product: { id: product.id }, unitsSold, netSales }));
    expect(both.data?.store.analytics.bySales).toEqual(strip(analytics.topProducts));
    expect(both.data?.store.analytics.byUnits).toEqual(strip(byUnits.data?.store.analytics.topProducts).slice(0, 1));

    // One bulb of the customer's order back.
    const bulbLine = customerOrder.lines[0];
    await mutate(
      store,
      `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { userErrors { code } } }`,
      {
        input: { orderId: customerOrder.id, lines: [{ orderLineId: bulbLine.id, quantity: 1 }], reason: 'broken' },
        key: unique('refund'),
      },
    );
    const refunded = (await dashboard(store)).data?.store.analytics;
    expect(refunded.sales).toMatchObject({
      revenue: { amount: '55.00' },
      ordersCount: 2,
      refunds: { amount: '5.00' },
      netSales: { amount: '55.00' },
      total: { amount: '60.00' },
    });
    expect(refunded.topProducts[1]).toMatchObject({ unitsSold: 3, netSales: { amount: '15.00' }, ordersCount: 2 });
    expect(BigInt(refunded.upToSequence)).toBeGreaterThan(BigInt(analytics.upToSequence));

    const lifetime = await graph.client.execute(
      `query ($id: ID!) { customer(id: $id) { lifetime { ordersCount netSales { amount currencyCode } firstOrderAt lastOrderAt } } }`,
      { id: customer.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(lifetime.errors).toBeUndefined();
    expect(lifetime.data?.customer.lifetime).toMatchObject({
      ordersCount: 1,
      netSales: { amount: '10.00', currencyCode: 'EUR' },
    });
    expect(lifetime.data?.customer.lifetime.firstOrderAt).toBe(lifetime.data?.customer.lifetime.lastOrderAt);

    // The guest's order cancelled: it leaves the sales, not the funnel (it was placed).
    await mutate(store, `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { userErrors { code } } }`, {
      input: { orderId: guestOrder.id, reason: 'changed their mind' },
    });
    const cancelled = (await dashboard(store)).data?.store.analytics;
    expect(cancelled.sales).toMatchObject({
      revenue: { amount: '10.00' },
      ordersCount: 1,
      grossSales: { amount: '15.00' },
    });
    expect(cancelled.topProducts).toEqual([
      { product: { id: bulb.id, title: 'Bulb' }, unitsSold: 2, netSales: { amount: '10.00' }, ordersCount: 1 },
    ]);
    expect(cancelled.conversion).toMatchObject({ carts: 3, checkouts: 3, orders: 2 });

    const productSales = await graph.client.execute(
      `query ($id: ID!, $range: DateRangeInput!) { store { product(id: $id) { title sales(range: $range) { unitsSold netSales { amount } ordersCount } } } }`,
      { id: bulb.id, range: aroundToday() },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(productSales.errors).toBeUndefined();
    expect(productSales.data?.store.product).toEqual({
      title: 'Bulb',
      sales: { unitsSold: 2, netSales: { amount: '10.00' }, ordersCount: 1 },
    });
  });

  it("a STAFF member without the analytics permission is refused the dashboard and a product's sales", async () => {
    const store = await createStore(graph.client);
    const lamp = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00' }]));
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const asStaff = await graph.client.execute(
      `query ($id: ID!, $range: DateRangeInput!) { store { product(id: $id) { title sales(range: $range) { unitsSold } } } }`,
      { id: lamp.id, range: aroundToday() },
      { token: staff.accessToken, store: store.slug },
    );
    expect(errorCodes(asStaff)).toEqual(['FORBIDDEN']);
    expect(asStaff.data?.store.product).toMatchObject({ title: lamp.title, sales: null });
    const anonymous = await graph.client.execute(
      `query ($id: ID!, $range: DateRangeInput!) { store { product(id: $id) { title sales(range: $range) { unitsSold } } } }`,
      { id: lamp.id, range: aroundToday() },
      { store: store.slug },
    );
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await dashboard(store, 'NET_SALES', staff.accessToken))).toEqual(['FORBIDDEN']);
  });

  it("shows the store's stock as the catalog counts it: low, out of stock, its value and the variants", async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store, stockedProductInput([{ price: '9.00', stock: 0, sku: 'GONE' }]));
    await createProduct(graph.client, store, stockedProductInput([{ price: '4.00', stock: 3, sku: 'LOW' }]));
    await createProduct(graph.client, store, stockedProductInput([{ price: '2.50', stock: 40, sku: 'PLENTY' }]));
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const response = await graph.client.execute(
      `query ($range: DateRangeInput!) { store { analytics(range: $range) {
        inventory { lowStock outOfStock stockValue { amount currencyCode } variants(first: 10) { nodes { sku } } }
      } } }`,
      { range: aroundToday() },
      { token: manager.accessToken, store: store.slug },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.store.analytics.inventory).toEqual({
      lowStock: 2,
      outOfStock: 1,
      // 3 × 4.00 + 40 × 2.50
      stockValue: { amount: '112.00', currencyCode: 'EUR' },
      variants: { nodes: [{ sku: 'GONE' }, { sku: 'LOW' }] },
    });
  });
});
