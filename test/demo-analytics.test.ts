// The dashboard is the first thing a seller opens on the demo store that `pnpm start` seeds: its
// month of orders must be in the figures from the first start, and the figures must be the orders'
// own, computed here by hand from the order rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedTestGraph, type IsolatedTestGraph } from '@commerce/testkit';
import { DEMO, seedDemo } from '../prisma/seed.js';

const DASHBOARD = `query ($range: DateRangeInput!) {
  store {
    analytics(range: $range) {
      upToSequence
      sales {
        ordersCount grossSales { amount } discounts { amount } refunds { amount } netSales { amount }
        shipping { amount } tax { amount } total { amount } averageOrderValue { amount }
      }
      topProducts(first: 3, sortKey: UNITS) { product { title } unitsSold netSales { amount } ordersCount }
      customers { new returning }
      conversion { orders }
      inventory { lowStock outOfStock }
    }
  }
}`;

let graph: IsolatedTestGraph;
let token: string;
beforeAll(async () => {
  graph = await startIsolatedTestGraph();
  expect(await seedDemo(graph.owner)).toBe(true);
  const { sellerLogIn } = await graph.client.data<{ sellerLogIn: { accessToken: string } }>(
    `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken } }`,
    { input: { email: DEMO.sellerEmail, password: DEMO.sellerPassword } },
  );
  token = sellerLogIn.accessToken;
}, 300_000);
afterAll(async () => {
  await graph?.close();
});

/** The seeded month: the orders were placed 30 days ago to yesterday. */
function lastFortyDays() {
  const now = Date.now();
  return { from: new Date(now - 40 * 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() };
}

describe('the demo store’s dashboard', () => {
  it('counts the seeded month of orders, as a hand computation over the orders does', async () => {
    const orders = await graph.owner.order.findMany({ include: { lines: true } });
    const counted = orders.filter((order) => order.status !== 'CANCELLED');
    const sum = (pick: (order: (typeof counted)[number]) => { toNumber(): number }) =>
      counted.reduce((total, order) => total + Math.round(pick(order).toNumber() * 100), 0);
    const money = (cents: number) => (cents / 100).toFixed(2);
    const gross = sum((order) => order.subtotal);
    const discounts = sum((order) => order.discountTotal);
    const refunds = sum((order) => order.totalRefunded);
    const total = sum((order) => order.total);

    const byProduct = new Map<string, { title: string; units: number; cents: number; orders: number }>();
    for (const order of counted) {
      for (const line of order.lines) {
        const product = byProduct.get(line.productId as string) ?? { title: line.title, units: 0, cents: 0, orders: 0 };
        product.units += line.quantity;
        product.cents += Math.round(line.totalPrice.toNumber() * 100);
        product.orders += 1;
        byProduct.set(line.productId as string, product);
      }
    }
    const mostUnits = Math.max(...[...byProduct.values()].map((product) => product.units));
    const buyers = new Set(counted.map((order) => order.customerId));

    const response = await graph.client.execute(
      DASHBOARD,
      { range: lastFortyDays() },
      { token, store: DEMO.storeSlug },
    );
    expect(response.errors).toBeUndefined();
    const analytics = (response.data as { store: { analytics: any } }).store.analytics;

    expect(counted.length).toBeGreaterThan(0);
    expect(analytics.sales).toEqual({
      ordersCount: counted.length,
      grossSales: { amount: money(gross) },
      discounts: { amount: money(discounts) },
      refunds: { amount: money(refunds) },
      netSales: { amount: money(gross - discounts - refunds) },
      shipping: { amount: money(sum((order) => order.shippingTotal)) },
      tax: { amount: money(sum((order) => order.taxTotal)) },
      total: { amount: money(total) },
      // Revenue (the orders' totals) per order.
      averageOrderValue: { amount: money(Math.round(total / counted.length)) },
    });
    expect(analytics.topProducts[0].unitsSold).toBe(mostUnits);
    const top = analytics.topProducts.map((row: { product: { title: string } }) => row.product.title);
    for (const [index, title] of top.entries()) {
      const product = [...byProduct.values()].find((candidate) => candidate.title === title);
      expect(analytics.topProducts[index]).toEqual({
        product: { title },
        unitsSold: product?.units,
        netSales: { amount: money(product?.cents ?? 0) },
        ordersCount: product?.orders,
      });
    }
    // Every buyer's first order is in the seeded month.
    expect(analytics.customers).toEqual({ new: buyers.size, returning: 0 });
    expect(analytics.conversion.orders).toBe(orders.length);
    // The seed leaves some variants out of stock, for the storefront's sold-out badge.
    expect(analytics.inventory.outOfStock).toBeGreaterThan(0);
  });
});
