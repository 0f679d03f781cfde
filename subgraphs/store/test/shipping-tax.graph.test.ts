import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, type Database } from '@commerce/database';
import {
  appDatabase,
  createStore,
  errorCodes,
  executeSubgraph,
  startTestGraph,
  type TestGraph,
} from '@commerce/testkit';
import {
  asOwner,
  createRate,
  createTaxRate,
  createZone,
  execute,
  succeed,
  userErrorsOf,
} from '@commerce/testkit/store-kit';
import { createStoreSubgraph } from '../src/server.js';

let graph: TestGraph;
let database: Database;
beforeAll(async () => {
  // Its own graph: the statement count below assumes this process served the arranging requests.
  graph = await startTestGraph();
  database = appDatabase();
});
afterAll(async () => {
  await database.disconnect();
  await graph.close();
});

const ZONES = `{ store { shippingZones { id name countries rates { id name price { amount currencyCode } minOrderAmount { amount } maxOrderAmount { amount } } } } }`;

describe('shipping zones and rates', () => {
  it('creates zones with rates that storefronts read, zones by name and rates by price', async () => {
    const store = await createStore(graph.client);
    const europe = await succeed(
      graph.client,
      'shippingZoneCreate',
      { name: 'Europe', countries: ['de', ' FR ', 'DE'] },
      asOwner(store),
    );
    expect(europe.shippingZone).toMatchObject({ name: 'Europe', countries: ['DE', 'FR'], rates: [] });
    const zoneId = europe.shippingZone.id;
    const express = await succeed(
      graph.client,
      'shippingRateCreate',
      { zoneId, name: 'Express', price: '12.5' },
      asOwner(store),
    );
    expect(express.shippingRate).toMatchObject({
      name: 'Express',
      price: { amount: '12.50', currencyCode: 'EUR' },
      minOrderAmount: null,
      zone: { id: zoneId },
    });
    await succeed(
      graph.client,
      'shippingRateCreate',
      { zoneId, name: 'Free', price: '0', minOrderAmount: '50', maxOrderAmount: '1000' },
      asOwner(store),
    );
    await createZone(graph.client, store, { name: 'Americas', countries: ['US', 'CA'] });

    const data = await graph.client.data(ZONES, {}, { store: store.slug });
    expect(data.store.shippingZones.map((zone: { name: string }) => zone.name)).toEqual(['Americas', 'Europe']);
    expect(data.store.shippingZones[1].rates).toEqual([
      {
        id: expect.any(String),
        name: 'Free',
        price: { amount: '0.00', currencyCode: 'EUR' },
        minOrderAmount: { amount: '50.00' },
        maxOrderAmount: { amount: '1000.00' },
      },
      {
        id: express.shippingRate.id,
        name: 'Express',
        price: { amount: '12.50', currencyCode: 'EUR' },
        minOrderAmount: null,
        maxOrderAmount: null,
      },
    ]);
  });

  it('refuses unknown countries, an empty zone, and a country that another zone has', async () => {
    const store = await createStore(graph.client);
    expect(
      await userErrorsOf(
        graph.client,
        'shippingZoneCreate',
        { name: ' ', countries: ['DE', 'XX', 'EU', 'D'] },
        asOwner(store),
      ),
    ).toEqual([
      ['input.name', 'BLANK'],
      ['input.countries.1', 'INVALID'],
      ['input.countries.2', 'INVALID'],
      ['input.countries.3', 'INVALID'],
    ]);
    expect(
      await userErrorsOf(graph.client, 'shippingZoneCreate', { name: 'Nowhere', countries: [] }, asOwner(store)),
    ).toEqual([['input.countries', 'BLANK']]);
    const zone = await createZone(graph.client, store, { name: 'DACH', countries: ['DE', 'AT', 'CH'] });
    expect(
      await userErrorsOf(graph.client, 'shippingZoneCreate', { name: 'EU', countries: ['FR', 'AT'] }, asOwner(store)),
    ).toEqual([['input.countries', 'COUNTRY_IN_OTHER_ZONE']]);
    const other = await createZone(graph.client, store, { name: 'France', countries: ['FR'] });
    expect(
      await userErrorsOf(graph.client, 'shippingZoneUpdate', { id: other.id, countries: ['FR', 'CH'] }, asOwner(store)),
    ).toEqual([['input.countries', 'COUNTRY_IN_OTHER_ZONE']]);
    // A zone keeps its own countries when they are given again.
    const renamed = await succeed(
      graph.client,
      'shippingZoneUpdate',
      { id: zone.id, name: 'D-A-CH', countries: ['ch', 'de', 'at', 'li'] },
      asOwner(store),
    );
    expect(renamed.shippingZone).toEqual({ id: zone.id, name: 'D-A-CH', countries: ['CH', 'DE', 'AT', 'LI'] });
  });

  it('gives two zones created at once with the same country exactly one of them', async () => {
    const store = await createStore(graph.client);
    const results = await Promise.all(
      ['One', 'Two', 'Three'].map((name) =>
        userErrorsOf(graph.client, 'shippingZoneCreate', { name, countries: ['JP'] }, asOwner(store)),
      ),
    );
    expect(results.filter((errors) => errors.length === 0)).toHaveLength(1);
    const data = await graph.client.data(ZONES, {}, { store: store.slug });
    expect(data.store.shippingZones).toHaveLength(1);
  });

  it('checks rate amounts: not negative, at most the currency minor units, max at least min', async () => {
    const store = await createStore(graph.client);
    const zone = await createZone(graph.client, store);
    expect(
      await userErrorsOf(
        graph.client,
        'shippingRateCreate',
        { zoneId: zone.id, name: '', price: '-1', minOrderAmount: '1.234', maxOrderAmount: '5' },
        asOwner(store),
      ),
    ).toEqual([
      ['input.name', 'BLANK'],
      ['input.price', 'INVALID'],
      ['input.minOrderAmount', 'INVALID'],
    ]);
    expect(
      await userErrorsOf(
        graph.client,
        'shippingRateCreate',
        { zoneId: zone.id, name: 'X', price: '1', minOrderAmount: '10', maxOrderAmount: '5' },
        asOwner(store),
      ),
    ).toEqual([['input.maxOrderAmount', 'INVALID']]);
    const rate = await createRate(graph.client, store, zone.id, { maxOrderAmount: '100' });
    expect(
      await userErrorsOf(graph.client, 'shippingRateUpdate', { id: rate.id, minOrderAmount: '150' }, asOwner(store)),
    ).toEqual([['input.maxOrderAmount', 'INVALID']]);
    expect(
      await userErrorsOf(graph.client, 'shippingRateUpdate', { id: rate.id, price: null }, asOwner(store)),
    ).toEqual([['input.price', 'BLANK']]);
  });

  it('updates and deletes rates and zones; deleting a zone deletes its rates', async () => {
    const store = await createStore(graph.client);
    const zone = await createZone(graph.client, store);
    const rate = await createRate(graph.client, store, zone.id, { minOrderAmount: '10' });
    const updated = await succeed(
      graph.client,
      'shippingRateUpdate',
      { id: rate.id, name: 'Priority', price: '7', minOrderAmount: null, maxOrderAmount: '99.99' },
      asOwner(store),
    );
    expect(updated.shippingRate).toEqual({
      id: rate.id,
      name: 'Priority',
      price: { amount: '7.00', currencyCode: 'EUR' },
      minOrderAmount: null,
      maxOrderAmount: { amount: '99.99' },
    });

    const second = await createRate(graph.client, store, zone.id);
    expect(
      (await succeed(graph.client, 'shippingRateDelete', { id: second.id }, asOwner(store))).deletedShippingRateId,
    ).toBe(second.id);
    expect(errorCodes(await execute(graph.client, 'shippingRateDelete', { id: second.id }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);

    expect(
      (await succeed(graph.client, 'shippingZoneDelete', { id: zone.id }, asOwner(store))).deletedShippingZoneId,
    ).toBe(zone.id);
    const node = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: rate.id },
      { store: store.slug },
    );
    expect(node.node).toBeNull();
    expect(
      errorCodes(
        await execute(graph.client, 'shippingRateCreate', { zoneId: zone.id, name: 'X', price: '1' }, asOwner(store)),
      ),
    ).toEqual(['NOT_FOUND']);
  });

  it('reads zones with their rates in a fixed number of statements, however many zones there are', async () => {
    const store = await createStore(graph.client);
    // Counted in-process: the statements of this one operation, not those of other work in the process.
    const count = async () => {
      const { result, counter } = await countStatements(() =>
        executeSubgraph(createStoreSubgraph(), database, ZONES, {}, { store: store.slug }),
      );
      expect(result.errors).toBeUndefined();
      return { statements: counter.count, zones: result.data?.store.shippingZones.length };
    };
    const zone = await createZone(graph.client, store);
    await createRate(graph.client, store, zone.id);
    const few = await count();
    for (let index = 0; index < 5; index += 1) {
      const more = await createZone(graph.client, store);
      await createRate(graph.client, store, more.id);
      await createRate(graph.client, store, more.id, { name: 'Express', price: '9.90' });
    }
    const many = await count();
    expect(few.zones).toBe(1);
    expect(many.zones).toBe(6);
    expect(many.statements).toBe(few.statements);
    // Two loader levels (zones, then their rates), each one tenant transaction.
    expect(few.statements).toBeGreaterThan(0);
    expect(few.statements).toBeLessThanOrEqual(10);
  });
});

describe('tax rates', () => {
  it('creates rates for a country and its regions, listed by country with the whole country first', async () => {
    const store = await createStore(graph.client);
    const gst = await succeed(
      graph.client,
      'taxRateCreate',
      { name: 'GST', countryCode: 'ca', rate: '0.05' },
      asOwner(store),
    );
    expect(gst.taxRate).toMatchObject({ name: 'GST', countryCode: 'CA', region: null, rate: '0.05', inclusive: false });
    await succeed(
      graph.client,
      'taxRateCreate',
      { name: 'QST', countryCode: 'CA', region: 'qc', rate: '0.09975' },
      asOwner(store),
    );
    await succeed(
      graph.client,
      'taxRateCreate',
      { name: 'MwSt', countryCode: 'AT', rate: '0.2', inclusive: true },
      asOwner(store),
    );

    const data = await graph.client.data(
      `{ store { taxRates { name countryCode region rate inclusive } } }`,
      {},
      { store: store.slug },
    );
    expect(data.store.taxRates).toEqual([
      { name: 'MwSt', countryCode: 'AT', region: null, rate: '0.2', inclusive: true },
      { name: 'GST', countryCode: 'CA', region: null, rate: '0.05', inclusive: false },
      { name: 'QST', countryCode: 'CA', region: 'QC', rate: '0.09975', inclusive: false },
    ]);
  });

  it('refuses invalid values and a second rate for the same country and region', async () => {
    const store = await createStore(graph.client);
    expect(
      await userErrorsOf(
        graph.client,
        'taxRateCreate',
        { name: '', countryCode: 'XX', region: 'not a region', rate: '1.5' },
        asOwner(store),
      ),
    ).toEqual([
      ['input.name', 'BLANK'],
      ['input.countryCode', 'INVALID'],
      ['input.region', 'INVALID'],
      ['input.rate', 'INVALID'],
    ]);
    expect(
      await userErrorsOf(
        graph.client,
        'taxRateCreate',
        { name: 'X', countryCode: 'DE', rate: '1.000001' },
        asOwner(store),
      ),
    ).toEqual([['input.rate', 'INVALID']]);
    const rate = await createTaxRate(graph.client, store, { countryCode: 'DE', region: null });
    expect(
      await userErrorsOf(
        graph.client,
        'taxRateCreate',
        { name: 'VAT again', countryCode: 'de', rate: '0.07' },
        asOwner(store),
      ),
    ).toEqual([['input.countryCode', 'TAKEN']]);
    const regional = await createTaxRate(graph.client, store, { countryCode: 'DE', region: 'BY' });
    expect(
      await userErrorsOf(graph.client, 'taxRateUpdate', { id: regional.id, region: null }, asOwner(store)),
    ).toEqual([['input.countryCode', 'TAKEN']]);
    expect(
      await userErrorsOf(graph.client, 'taxRateUpdate', { id: rate.id, rate: null, inclusive: null }, asOwner(store)),
    ).toEqual([
      ['input.rate', 'BLANK'],
      ['input.inclusive', 'BLANK'],
    ]);
  });

  it('updates and deletes a tax rate', async () => {
    const store = await createStore(graph.client);
    const rate = await createTaxRate(graph.client, store, { countryCode: 'FR', region: null, rate: '0.2' });
    const updated = await succeed(
      graph.client,
      'taxRateUpdate',
      { id: rate.id, name: 'TVA', rate: '0.055', inclusive: true, region: 'COR' },
      asOwner(store),
    );
    expect(updated.taxRate).toEqual({
      id: rate.id,
      name: 'TVA',
      countryCode: 'FR',
      region: 'COR',
      rate: '0.055',
      inclusive: true,
    });
    expect((await succeed(graph.client, 'taxRateDelete', { id: rate.id }, asOwner(store))).deletedTaxRateId).toBe(
      rate.id,
    );
    expect(
      errorCodes(await execute(graph.client, 'taxRateUpdate', { id: rate.id, name: 'Gone' }, asOwner(store))),
    ).toEqual(['NOT_FOUND']);
  });
});
