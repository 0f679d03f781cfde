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

const PRICES_SET = `mutation ($input: ProductVariantPricesSetInput!) { productVariantPricesSet(input: $input) {
  productVariant { fixedPrices { currencyCode price { amount currencyCode } compareAtPrice { amount currencyCode } } }
  userErrors { field message code }
} }`;

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

  it('uses the price a seller fixed for a currency instead of the converted one, until it is removed', async () => {
    const store = await createStore(graph.client);
    await succeed(
      graph.client,
      'storeCurrenciesUpdate',
      { currencies: [{ currencyCode: 'USD', rate: '1.0825' }] },
      asOwner(store),
    );
    const product = await createProduct(graph.client, store, {
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { price: '10.00', options: [{ name: 'Size', value: 'S' }] },
        { price: '24.50', options: [{ name: 'Size', value: 'M' }] },
      ],
    });
    const [small] = product.variants;
    if (!small) throw new Error('no variant');
    const set = await graph.client.data(
      PRICES_SET,
      { input: { variantId: small.id, prices: [{ currencyCode: 'usd', price: '9', compareAtPrice: '11.50' }] } },
      asOwner(store),
    );
    expect(set.productVariantPricesSet).toEqual({
      productVariant: {
        fixedPrices: [
          {
            currencyCode: 'USD',
            price: { amount: '9.00', currencyCode: 'USD' },
            compareAtPrice: { amount: '11.50', currencyCode: 'USD' },
          },
        ],
      },
      userErrors: [],
    });
    const inDollars = await graph.client.data(
      PRODUCT,
      { id: product.id },
      { store: store.slug, headers: { 'x-currency': 'USD' } },
    );
    expect(inDollars.node.variants.nodes).toEqual([
      { price: { amount: '9.00', currencyCode: 'USD' }, compareAtPrice: { amount: '11.50', currencyCode: 'USD' } },
      { price: { amount: '26.52', currencyCode: 'USD' }, compareAtPrice: null },
    ]);
    expect(inDollars.node.priceRange.minVariantPrice).toEqual({ amount: '9.00', currencyCode: 'USD' });
    const inEuros = await graph.client.data(PRODUCT, { id: product.id }, { store: store.slug });
    expect(inEuros.node.variants.nodes[0].price).toEqual({ amount: '10.00', currencyCode: 'EUR' });

    await graph.client.data(
      PRICES_SET,
      { input: { variantId: small.id, prices: [{ currencyCode: 'USD', price: null }] } },
      asOwner(store),
    );
    const converted = await graph.client.data(
      PRODUCT,
      { id: product.id },
      { store: store.slug, headers: { 'x-currency': 'USD' } },
    );
    expect(converted.node.variants.nodes[0].price).toEqual({ amount: '10.83', currencyCode: 'USD' });
  });

  it('refuses fixed prices in the store currency, twice the same, too precise or for no variant', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store);
    const [variant] = product.variants;
    if (!variant) throw new Error('no variant');
    const problems = async (input: Record<string, unknown>) =>
      (await graph.client.data(PRICES_SET, { input }, asOwner(store))).productVariantPricesSet.userErrors.map(
        (error: { field: string[]; code: string }) => [error.field.join('.'), error.code],
      );
    expect(
      await problems({
        variantId: variant.id,
        prices: [
          { currencyCode: 'EUR', price: '1' },
          { currencyCode: 'JPY', price: '100.5' },
          { currencyCode: 'JPY', price: '100' },
          { currencyCode: 'ABC', price: '1' },
        ],
      }),
    ).toEqual([
      ['input.prices.0.currencyCode', 'INVALID'],
      ['input.prices.1.price', 'TOO_PRECISE'],
      ['input.prices.2.currencyCode', 'DUPLICATE'],
      ['input.prices.3.currencyCode', 'INVALID'],
    ]);
    expect(
      await problems({
        variantId: product.id.replace('Product', 'ProductVariant'),
        prices: [{ currencyCode: 'USD', price: '1' }],
      }),
    ).toEqual([['input.variantId', 'NOT_FOUND']]);
    const staffless = await graph.client.execute(
      PRICES_SET,
      { input: { variantId: variant.id, prices: [{ currencyCode: 'USD', price: '1' }] } },
      { store: store.slug },
    );
    expect(errorCodes(staffless)).toEqual(['UNAUTHENTICATED']);
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
