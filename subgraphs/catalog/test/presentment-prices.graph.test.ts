import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore, errorCodes, sharedTestGraph, type SharedTestGraph } from '@commerce/testkit';
import { asOwner, succeed } from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(async () => {
  await graph.close();
});

const PRODUCT = `query ($id: ID!) { node(id: $id) { ... on Product {
  priceRange { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } }
  variants(first: 10) { nodes { price { amount currencyCode } compareAtPrice { amount currencyCode } } }
} } }`;

const LISTING = `{ store { products(first: 10, sortKey: PRICE) { nodes { variants(first: 5) { nodes { price { amount currencyCode } } } } } } }`;

describe('prices in the currency a buyer asks for (X-Currency)', () => {
  it('converts variant prices and price ranges at the rate and rounds them by the rule', async () => {
    const store = await createStore(graph.client);
    await succeed(
      graph.client,
      'storeCurrenciesUpdate',
      {
        currencies: [
          { currencyCode: 'USD', rate: '1.0825', rounding: 'ENDING_99' },
          { currencyCode: 'GBP', rate: '0.8531' },
        ],
      },
      asOwner(store),
    );
    const product = await createProduct(graph.client, store, {
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { price: '10.00', compareAtPrice: '12.00', options: [{ name: 'Size', value: 'S' }] },
        { price: '24.50', options: [{ name: 'Size', value: 'M' }] },
      ],
    });
    const inEuros = await graph.client.data(PRODUCT, { id: product.id }, { store: store.slug });
    expect(inEuros.node.variants.nodes).toEqual([
      { price: { amount: '10.00', currencyCode: 'EUR' }, compareAtPrice: { amount: '12.00', currencyCode: 'EUR' } },
      { price: { amount: '24.50', currencyCode: 'EUR' }, compareAtPrice: null },
    ]);
    const inDollars = await graph.client.data(
      PRODUCT,
      { id: product.id },
      { store: store.slug, headers: { 'x-currency': 'usd' } },
    );
    // 10.00 x 1.0825 = 10.825 -> 10.83 -> 10.99; 12.99; 26.52 -> 26.99.
    expect(inDollars.node.variants.nodes).toEqual([
      { price: { amount: '10.99', currencyCode: 'USD' }, compareAtPrice: { amount: '12.99', currencyCode: 'USD' } },
      { price: { amount: '26.99', currencyCode: 'USD' }, compareAtPrice: null },
    ]);
    expect(inDollars.node.priceRange).toEqual({
      minVariantPrice: { amount: '10.99', currencyCode: 'USD' },
      maxVariantPrice: { amount: '26.99', currencyCode: 'USD' },
    });
    const inPounds = await graph.client.data(
      PRODUCT,
      { id: product.id },
      { store: store.slug, headers: { 'x-currency': 'GBP' } },
    );
    // 8.531 -> 8.53; 20.90095 -> 20.90 (minor units).
    expect(inPounds.node.priceRange).toEqual({
      minVariantPrice: { amount: '8.53', currencyCode: 'GBP' },
      maxVariantPrice: { amount: '20.90', currencyCode: 'GBP' },
    });
    // The store's own currency named in the header is the same as none.
    expect(
      await graph.client.data(PRODUCT, { id: product.id }, { store: store.slug, headers: { 'x-currency': 'EUR' } }),
    ).toEqual(inEuros);
    const listing = await graph.client.data(LISTING, {}, { store: store.slug, headers: { 'x-currency': 'USD' } });
    expect(listing.store.products.nodes[0].variants.nodes.map((node: { price: unknown }) => node.price)).toEqual([
      { amount: '10.99', currencyCode: 'USD' },
      { amount: '26.99', currencyCode: 'USD' },
    ]);
  });

  it('refuses a currency the store has not enabled with BAD_USER_INPUT and the reason', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store);
    const response = await graph.client.execute(
      PRODUCT,
      { id: product.id },
      { store: store.slug, headers: { 'x-currency': 'CHF' } },
    );
    expect(errorCodes(response)).toContain('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.reason).toBe('CURRENCY_NOT_ENABLED');
    expect(response.errors?.[0]?.message).toMatch(/does not sell in CHF/);
  });
});
