import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import { asOwner, execute, succeed, userErrorsOf } from '@commerce/testkit/store-kit';

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

const CURRENCIES = '{ store { currencyCode currencies { currencyCode rate rounding } } }';

describe('presentment currencies of a store', () => {
  it('enables currencies with exact rates that storefronts read, and replaces the whole set', async () => {
    const store = await createStore(graph.client);
    const payload = await succeed(
      graph.client,
      'storeCurrenciesUpdate',
      {
        currencies: [
          { currencyCode: 'usd', rate: '1.0825', rounding: 'ENDING_99' },
          { currencyCode: 'JPY', rate: '161.234567' },
        ],
      },
      asOwner(store),
    );
    expect(payload.currencies).toEqual([
      { currencyCode: 'JPY', rate: '161.234567', rounding: 'MINOR_UNITS' },
      { currencyCode: 'USD', rate: '1.0825', rounding: 'ENDING_99' },
    ]);
    // Anonymous storefronts see them.
    expect((await graph.client.data(CURRENCIES, {}, { store: store.slug })).store).toEqual({
      currencyCode: 'EUR',
      currencies: payload.currencies,
    });

    await succeed(
      graph.client,
      'storeCurrenciesUpdate',
      { currencies: [{ currencyCode: 'USD', rate: '1.1', rounding: 'MINOR_UNITS' }] },
      asOwner(store),
    );
    expect((await graph.client.data(CURRENCIES, {}, { store: store.slug })).store.currencies).toEqual([
      { currencyCode: 'USD', rate: '1.1', rounding: 'MINOR_UNITS' },
    ]);
  });

  it('refuses unknown codes, the store currency, duplicates, bad rates and endings without cents', async () => {
    const store = await createStore(graph.client);
    expect(
      await userErrorsOf(
        graph.client,
        'storeCurrenciesUpdate',
        {
          currencies: [
            { currencyCode: 'XYZ', rate: '1' },
            { currencyCode: 'EUR', rate: '1' },
            { currencyCode: 'USD', rate: '0' },
            { currencyCode: 'GBP', rate: '0.85' },
            { currencyCode: 'GBP', rate: '0.86' },
            { currencyCode: 'JPY', rate: '160', rounding: 'ENDING_99' },
            { currencyCode: 'CHF', rate: '-1' },
          ],
        },
        asOwner(store),
      ),
    ).toEqual([
      ['input.currencies.0.currencyCode', 'INVALID'],
      ['input.currencies.1.currencyCode', 'INVALID'],
      ['input.currencies.2.rate', 'INVALID'],
      ['input.currencies.4.currencyCode', 'TAKEN'],
      ['input.currencies.5.rounding', 'INVALID'],
      ['input.currencies.6.rate', 'INVALID'],
    ]);
    expect((await graph.client.data(CURRENCIES, {}, { store: store.slug })).store.currencies).toEqual([]);
  });

  it('is for staff who manage the store', async () => {
    const store = await createStore(graph.client);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const input = { currencies: [{ currencyCode: 'USD', rate: '1.1' }] };
    expect(errorCodes(await execute(graph.client, 'storeCurrenciesUpdate', input, { store: store.slug }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(
      errorCodes(
        await execute(graph.client, 'storeCurrenciesUpdate', input, { token: staff.accessToken, store: store.slug }),
      ),
    ).toEqual(['FORBIDDEN']);
  });
});
