import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, type OrderStatus, type PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  analyticsCaughtUp,
  createStore,
  errorCodes,
  executeSubgraph,
  insertOrder,
  keyOf,
  ownerPrisma,
  signUpSeller,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';

import { analyticsSubgraph } from '../src/server.js';

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

const ANALYTICS = `query ($range: DateRangeInput!, $interval: AnalyticsInterval) {
  store {
    analytics(range: $range, interval: $interval) {
      from to
      sales {
        revenue { amount currencyCode }
        ordersCount
        averageOrderValue { amount currencyCode }
        series { start revenue { amount } ordersCount }
      }
    }
  }
}`;

/** A sale of `total` at `createdAt` (an order with one line at the total). */
async function sale(
  store: TestStore,
  createdAt: string,
  total: string,
  options: { status?: OrderStatus; totalRefunded?: string } = {},
): Promise<void> {
  await insertOrder(owner, store, { email: 'buyer@example.com', total, createdAt: new Date(createdAt), ...options });
}

/** The store's analytics once the consumer has applied every event written so far. */
async function analytics(
  store: TestStore,
  variables: Record<string, unknown>,
  token: string | null = store.owner.accessToken,
) {
  await analyticsCaughtUp(owner, store);
  return graph.client.execute(ANALYTICS, variables, { token, store: store.slug });
}

describe('store analytics', () => {
  it('sums revenue exactly, less refunds and without cancelled orders, with a point for every day', async () => {
    const store = await createStore(graph.client);
    await sale(store, '2026-03-01T00:00:00.000Z', '10.10');
    await sale(store, '2026-03-01T12:00:00.000Z', '99.99', { status: 'CANCELLED' });
    await sale(store, '2026-03-03T08:30:00.000Z', '20.20');
    await sale(store, '2026-03-03T23:59:59.999Z', '30.30', { totalRefunded: '5.05' });
    // Outside [from, to): before the span, and at its exclusive end.
    await sale(store, '2026-02-28T23:59:59.999Z', '1000.00');
    await sale(store, '2026-03-05T00:00:00.000Z', '2000.00');

    const response = await analytics(store, {
      range: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' },
      interval: 'DAY',
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.store.analytics).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-05T00:00:00.000Z',
      sales: {
        revenue: { amount: '55.55', currencyCode: 'EUR' },
        ordersCount: 3,
        // 55.55 / 3 = 18.5166…, rounded to cents.
        averageOrderValue: { amount: '18.52', currencyCode: 'EUR' },
        series: [
          { start: '2026-03-01T00:00:00.000Z', revenue: { amount: '10.10' }, ordersCount: 1 },
          { start: '2026-03-02T00:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
          { start: '2026-03-03T00:00:00.000Z', revenue: { amount: '45.45' }, ordersCount: 2 },
          { start: '2026-03-04T00:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
        ],
      },
    });
  });

  it('a span without orders has zero revenue and average, and still every point', async () => {
    const store = await createStore(graph.client);
    const response = await analytics(store, {
      range: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' },
    });
    expect(response.data?.store.analytics.sales).toEqual({
      revenue: { amount: '0.00', currencyCode: 'EUR' },
      ordersCount: 0,
      averageOrderValue: { amount: '0.00', currencyCode: 'EUR' },
      series: [
        { start: '2026-01-01T00:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
        { start: '2026-01-02T00:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
      ],
    });
  });

  it("points are the store's local days, weeks from Monday and calendar months", async () => {
    const store = await createStore(graph.client);
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { timezone: 'America/New_York' } });
    // 22:00 on 1 March in New York (UTC−5) is already 2 March in UTC.
    await sale(store, '2026-03-02T03:00:00.000Z', '7.00');
    await sale(store, '2026-03-02T06:00:00.000Z', '3.00');
    // 23:30 on 28 February in New York: February there, March in UTC.
    await sale(store, '2026-03-01T04:30:00.000Z', '5.00');

    const daily = await analytics(store, {
      range: { from: '2026-03-01T05:00:00.000Z', to: '2026-03-03T05:00:00.000Z' },
      interval: 'DAY',
    });
    expect(daily.data?.store.analytics.sales.series).toEqual([
      { start: '2026-03-01T05:00:00.000Z', revenue: { amount: '7.00' }, ordersCount: 1 },
      { start: '2026-03-02T05:00:00.000Z', revenue: { amount: '3.00' }, ordersCount: 1 },
    ]);

    // 1 March 2026 is a Sunday: its week starts on Monday 23 February. Daylight saving starts on 8 March.
    const weekly = await analytics(store, {
      range: { from: '2026-03-01T05:00:00.000Z', to: '2026-03-15T04:00:00.000Z' },
      interval: 'WEEK',
    });
    expect(weekly.data?.store.analytics.sales.series).toEqual([
      { start: '2026-02-23T05:00:00.000Z', revenue: { amount: '7.00' }, ordersCount: 1 },
      { start: '2026-03-02T05:00:00.000Z', revenue: { amount: '3.00' }, ordersCount: 1 },
      { start: '2026-03-09T04:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
    ]);

    const monthly = await analytics(store, {
      range: { from: '2026-01-15T00:00:00.000Z', to: '2026-04-01T04:00:00.000Z' },
      interval: 'MONTH',
    });
    expect(monthly.data?.store.analytics.sales).toMatchObject({
      revenue: { amount: '15.00' },
      ordersCount: 3,
      averageOrderValue: { amount: '5.00' },
      series: [
        { start: '2026-01-01T05:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
        { start: '2026-02-01T05:00:00.000Z', revenue: { amount: '5.00' }, ordersCount: 1 },
        { start: '2026-03-01T05:00:00.000Z', revenue: { amount: '10.00' }, ordersCount: 2 },
      ],
    });
  });

  it('amounts follow the currency: no decimals for JPY', async () => {
    const store = await createStore(graph.client, { currencyCode: 'JPY' });
    await sale(store, '2026-03-01T01:00:00.000Z', '1000');
    await sale(store, '2026-03-01T02:00:00.000Z', '1001');
    const response = await analytics(store, {
      range: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
    });
    expect(response.data?.store.analytics.sales).toMatchObject({
      revenue: { amount: '2001', currencyCode: 'JPY' },
      averageOrderValue: { amount: '1001', currencyCode: 'JPY' },
    });
  });

  it('a MANAGER sees analytics; a STAFF member and a seller off the staff are FORBIDDEN, an anonymous caller UNAUTHENTICATED', async () => {
    const store = await createStore(graph.client);
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const stranger = await signUpSeller(graph.client);
    const range = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' };

    const asManager = await analytics(store, { range }, manager.accessToken);
    expect(asManager.errors).toBeUndefined();
    expect(asManager.data?.store.analytics.sales.ordersCount).toBe(0);
    expect(errorCodes(await analytics(store, { range }, staff.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await analytics(store, { range }, stranger.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await analytics(store, { range }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('a range that ends before it starts, or a daily series over more than 366 days, is BAD_USER_INPUT', async () => {
    const store = await createStore(graph.client);
    const backwards = await analytics(store, {
      range: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
    });
    expect(errorCodes(backwards)).toEqual(['BAD_USER_INPUT']);
    const empty = await analytics(store, {
      range: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
    });
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    const tooLong = await analytics(store, {
      range: { from: '2025-01-01T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' },
      interval: 'DAY',
    });
    expect(errorCodes(tooLong)).toEqual(['BAD_USER_INPUT']);
    const leapYear = await analytics(store, {
      range: { from: '2024-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z' },
      interval: 'DAY',
    });
    expect(leapYear.data?.store.analytics.sales.series).toHaveLength(366);
    const weekly = await analytics(store, {
      range: { from: '2025-01-01T00:00:00.000Z', to: '2026-01-03T00:00:00.000Z' },
      interval: 'WEEK',
    });
    expect(weekly.errors).toBeUndefined();
  });

  it('the figures take one SQL statement after the permission check, however long the span', async () => {
    const store = await createStore(graph.client);
    await sale(store, '2026-03-01T10:00:00.000Z', '10.00');
    await analyticsCaughtUp(owner, store);
    const query = `query ($representations: [_Any!]!, $range: DateRangeInput!) {
      _entities(representations: $representations) { ... on Store { analytics(range: $range) { sales { revenue { amount } series { start } } } } }
    }`;
    const statements = async (range: { from: string; to: string }) => {
      const { result, counter } = await countStatements(() =>
        executeSubgraph(
          analyticsSubgraph,
          graph.database,
          query,
          { representations: [{ __typename: 'Store', id: store.id }], range },
          { token: store.owner.accessToken, store: store.slug },
        ),
      );
      expect(result.errors).toBeUndefined();
      // Each transaction sets the tenant first and commits last; between them: the staff role, then the figures.
      return counter.statements.filter((statement) => !statement.includes('app_set_scope') && statement !== 'COMMIT');
    };
    const short = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
    await statements(short); // resolves X-Store once; later requests take it from the cache
    const shortStatements = await statements(short);
    expect(shortStatements).toHaveLength(2);
    expect(await statements({ from: '2025-03-03T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' })).toEqual(
      shortStatements,
    );
  });

  it('compares with the previous span of the same length: its figures and the change', async () => {
    const store = await createStore(graph.client);
    await sale(store, '2026-03-01T10:00:00.000Z', '10.00');
    await sale(store, '2026-03-02T10:00:00.000Z', '30.00');
    await sale(store, '2026-03-03T10:00:00.000Z', '50.00');
    await analyticsCaughtUp(owner, store);
    const response = await graph.client.execute(
      `query ($range: DateRangeInput!) { store { analytics(range: $range, compare: PREVIOUS_PERIOD) {
        sales { revenue { amount } ordersCount }
        comparison { from to sales { revenue { amount } ordersCount series { start ordersCount } } comparison { from } }
        change { revenue ordersCount averageOrderValue netSales }
      } } }`,
      { range: { from: '2026-03-03T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.store.analytics).toEqual({
      sales: { revenue: { amount: '50.00' }, ordersCount: 1 },
      comparison: {
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-03-03T00:00:00.000Z',
        sales: {
          revenue: { amount: '40.00' },
          ordersCount: 2,
          series: [
            { start: '2026-03-01T00:00:00.000Z', ordersCount: 1 },
            { start: '2026-03-02T00:00:00.000Z', ordersCount: 1 },
          ],
        },
        comparison: null,
      },
      // 50 against 40, 1 order against 2, 50 a order against 20.
      change: { revenue: 0.25, ordersCount: -0.5, averageOrderValue: 1.5, netSales: 0.25 },
    });
    const without = await analytics(store, {
      range: { from: '2026-03-03T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' },
    });
    expect(without.errors).toBeUndefined();
  });

  it('days follow the store across a daylight saving change: a 23-hour day, orders around midnight', async () => {
    const store = await createStore(graph.client);
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { timezone: 'Europe/Berlin' } });
    // Berlin moves from UTC+1 to UTC+2 at 02:00 on Sunday 29 March 2026.
    await sale(store, '2026-03-28T22:59:59.999Z', '1.00'); // 23:59:59.999 on the 28th
    await sale(store, '2026-03-28T23:00:00.000Z', '2.00'); // midnight, the 29th
    await sale(store, '2026-03-29T21:59:59.999Z', '4.00'); // 23:59:59.999 on the 29th, summer time
    await sale(store, '2026-03-29T22:00:00.000Z', '8.00'); // midnight, the 30th
    const daily = await analytics(store, {
      range: { from: '2026-03-27T23:00:00.000Z', to: '2026-03-31T22:00:00.000Z' },
      interval: 'DAY',
    });
    expect(daily.data?.store.analytics.sales.series).toEqual([
      { start: '2026-03-27T23:00:00.000Z', revenue: { amount: '1.00' }, ordersCount: 1 },
      { start: '2026-03-28T23:00:00.000Z', revenue: { amount: '6.00' }, ordersCount: 2 },
      { start: '2026-03-29T22:00:00.000Z', revenue: { amount: '8.00' }, ordersCount: 1 },
      { start: '2026-03-30T22:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
    ]);
    const monthly = await analytics(store, {
      range: { from: '2026-02-28T23:00:00.000Z', to: '2026-04-30T22:00:00.000Z' },
      interval: 'MONTH',
    });
    expect(monthly.data?.store.analytics.sales.series).toEqual([
      { start: '2026-02-28T23:00:00.000Z', revenue: { amount: '15.00' }, ordersCount: 4 },
      { start: '2026-03-31T22:00:00.000Z', revenue: { amount: '0.00' }, ordersCount: 0 },
    ]);
  });

  it('a whole dashboard takes the same statements for a week as for a year', async () => {
    const store = await createStore(graph.client);
    await sale(store, '2026-03-01T10:00:00.000Z', '10.00');
    await analyticsCaughtUp(owner, store);
    const query = `query ($representations: [_Any!]!, $range: DateRangeInput!) {
      _entities(representations: $representations) { ... on Store { analytics(range: $range, compare: PREVIOUS_PERIOD) {
        upToSequence asOf
        sales { revenue { amount } netSales { amount } series { start revenue { amount } } }
        bySales: topProducts(first: 10) { unitsSold }
        byUnits: topProducts(first: 5, sortKey: UNITS) { unitsSold }
        customers { new returning repeatRate averageLifetimeValue { amount } }
        conversion { carts checkouts orders rate }
        comparison { sales { revenue { amount } } }
        change { revenue }
      } } }
    }`;
    const statements = async (range: { from: string; to: string }) => {
      const { result, counter } = await countStatements(() =>
        executeSubgraph(
          analyticsSubgraph,
          graph.database,
          query,
          { representations: [{ __typename: 'Store', id: store.id }], range },
          { token: store.owner.accessToken, store: store.slug },
        ),
      );
      expect(result.errors).toBeUndefined();
      // The groups resolve side by side, in no fixed order.
      return counter.statements
        .filter((statement) => !statement.includes('app_set_scope') && statement !== 'COMMIT')
        .sort();
    };
    const week = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' };
    await statements(week); // resolves X-Store once; later requests take it from the cache
    const weekStatements = await statements(week);
    // The staff role, then one statement per figure group: the cursor, sales (twice: the span and the
    // previous one), products (both rankings from one sum of the span), buyers.
    expect(weekStatements).toHaveLength(6);
    expect(await statements({ from: '2025-03-08T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' })).toEqual(
      weekStatements,
    );
  });
});
