// The whole dashboard through the gateway, every subgraph it reaches included (product titles and
// stock from the catalog, buyers from the customer subgraph): its SQL statements do not grow with
// the span it covers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount, type PrismaClient } from '@commerce/database';
import {
  analyticsCaughtUp,
  createProduct,
  createStore,
  ownerPrisma,
  QUIET_RELAY,
  signUpCustomer,
  startTestGraph,
  type TestGraph,
} from '@commerce/testkit';
import { firstVariantId } from '@commerce/testkit/catalog-kit';
import { createCart, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  // Statements are counted process-wide: this file's graph runs in its process, and its relay does
  // not poll meanwhile (woken by commits, it and the analytics consumer work on connections of their
  // own, which the counts leave out).
  graph = await startTestGraph({ realtime: QUIET_RELAY });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const SALES = `revenue { amount } ordersCount averageOrderValue { amount } grossSales { amount } discounts { amount }
  refunds { amount } netSales { amount } shipping { amount } tax { amount } total { amount }
  series { start revenue { amount } ordersCount netSales { amount } }`;
const TOP = `product { id title images { url } } unitsSold netSales { amount } ordersCount`;
const DASHBOARD = `query ($range: DateRangeInput!, $interval: AnalyticsInterval, $productId: ID!, $customerId: ID!) {
  store {
    analytics(range: $range, interval: $interval, compare: PREVIOUS_PERIOD) {
      upToSequence asOf
      sales { ${SALES} }
      comparison { sales { ${SALES} } }
      change { revenue ordersCount averageOrderValue netSales }
      bySales: topProducts(first: 10, sortKey: NET_SALES) { ${TOP} }
      byUnits: topProducts(first: 10, sortKey: UNITS) { ${TOP} }
      customers { new returning repeatRate averageLifetimeValue { amount } }
      inventory { lowStock outOfStock stockValue { amount } variants(first: 10) { nodes { id sku } } }
      conversion { carts checkouts orders rate cartToCheckoutRate checkoutToOrderRate }
    }
    product(id: $productId) { title sales(range: $range) { unitsSold netSales { amount } ordersCount } }
  }
  customer(id: $customerId) { lifetime { ordersCount netSales { amount } firstOrderAt lastOrderAt } }
}`;

const DAY_MS = 86_400_000;
/** The last `days` whole UTC days, up to the end of today. */
function lastDays(days: number) {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() };
}

describe('the whole analytics dashboard through the gateway', () => {
  it('takes as many SQL statements for 365 days by month as for 30 days by day', async () => {
    const store = await createStore(graph.client);
    const lamp = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 3 }]));
    const bulb = await createProduct(graph.client, store, stockedProductInput([{ price: '5.00', stock: 40 }]));
    const customer = await signUpCustomer(graph.client, store);
    const cart = await createCart(
      graph.client,
      store,
      [
        { variantId: firstVariantId(lamp), quantity: 1 },
        { variantId: firstVariantId(bulb), quantity: 2 },
      ],
      customer.accessToken,
    );
    await placeOrder(graph.client, store, cart.id, { token: customer.accessToken, email: customer.email });
    await analyticsCaughtUp(owner, store);

    const dashboard = async (range: { from: string; to: string }, interval: 'DAY' | 'MONTH') => {
      const before = processStatementCount.value;
      const response = await graph.client.execute(
        DASHBOARD,
        { range, interval, productId: lamp.id, customerId: customer.id },
        { token: store.owner.accessToken, store: store.slug },
      );
      const statements = processStatementCount.value - before;
      expect(response.errors).toBeUndefined();
      return { data: response.data, statements };
    };
    // The first request of a store resolves X-Store from the database; later ones from the cache.
    await dashboard(lastDays(30), 'DAY');
    const month = await dashboard(lastDays(30), 'DAY');
    const year = await dashboard(lastDays(365), 'MONTH');

    for (const { data } of [month, year]) {
      expect(data?.store.analytics.sales).toMatchObject({ ordersCount: 1, revenue: { amount: '30.00' } });
      expect(data?.store.analytics.bySales.map((entry: { product: { title: string } }) => entry.product.title)).toEqual(
        [lamp.title, bulb.title],
      );
      expect(data?.store.analytics.inventory).toMatchObject({ lowStock: 1, outOfStock: 0 });
      expect(data?.store.product.sales).toEqual({ unitsSold: 1, netSales: { amount: '20.00' }, ordersCount: 1 });
      expect(data?.customer.lifetime).toMatchObject({ ordersCount: 1, netSales: { amount: '30.00' } });
    }
    expect(month.data?.store.analytics.sales.series).toHaveLength(30);
    expect(year.data?.store.analytics.sales.series.length).toBeGreaterThanOrEqual(12);
    expect(month.statements).toBeGreaterThan(0);
    expect(year.statements).toBe(month.statements);
  });
});
