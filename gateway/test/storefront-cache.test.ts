import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import {
  createProduct,
  createStore,
  eventually,
  signUpCustomer,
  startTestGraph,
  type TestGraph,
  type TestProduct,
  type TestStore,
} from '@commerce/testkit';
import {
  asOwner,
  CATEGORY_UPDATE,
  createCategory,
  firstVariantId,
  VARIANTS_UPDATE,
} from '@commerce/testkit/catalog-kit';
import { CART_LINES_ADD, CART_QUERY, createCart } from '@commerce/testkit/checkout-kit';
import { STORE_FOLLOW, STORE_UNFOLLOW } from '@commerce/testkit/customer-kit';
import { adjustStock } from '@commerce/testkit/realtime-kit';
import { mutationDocument } from '@commerce/testkit/store-kit';
import { offerLocales, translate } from '@commerce/testkit/translation-kit';

// The relay polls every 200 ms here, so that the cache's trust in it is lost within a second when
// it stops; wake-ups after each commit bring changes sooner.
const POLL_MS = 200;

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true, realtime: { relayPollIntervalMs: POLL_MS } });
});
afterAll(async () => {
  await graph.close();
});

const LISTING = `{ store { slug name products(first: 5) { edges { node {
  title totalInventory categories { name } variants(first: 5) { edges { node { price { amount } } } }
} } } } }`;

interface Listing {
  store: {
    name: string;
    products: {
      edges: {
        node: {
          title: string;
          totalInventory: number;
          categories: { name: string }[];
          variants: { edges: { node: { price: { amount: string } } }[] };
        };
      }[];
    };
  };
}

async function storeWithProduct(title: string): Promise<{ store: TestStore; product: TestProduct }> {
  const store = await createStore(graph.client);
  const product = await createProduct(graph.client, store, {
    title,
    variants: [{ price: '10.00', sku: `${store.slug}-sku`, inventoryQuantity: 5 }],
  });
  return { store, product };
}

/** Runs a request and reports how many SQL statements it cost. */
async function measured<T>(run: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = processStatementCount.value;
  const result = await run();
  return { statements: processStatementCount.value - before, result };
}

const listing = (store: TestStore) => graph.client.data<Listing>(LISTING, {}, { store: store.slug });

/**
 * Reads until an answer comes from the cache (no statement). The events of the store's own
 * creation reach the cache after the mutations have answered and drop what was stored before.
 */
async function untilCached(store: TestStore): Promise<Listing> {
  let cached: Listing | null = null;
  await eventually('an answer from the cache that stays', async () => {
    await listing(store);
    const first = await measured(() => listing(store));
    if (first.statements !== 0) return false;
    // A change's events can drop the answer one after another (a product created active announces
    // its creation and its publication): the answer counts once it is still there a moment later.
    await new Promise((resolve) => setTimeout(resolve, 2 * POLL_MS));
    const { statements, result } = await measured(() => listing(store));
    cached = result;
    return statements === 0;
  });
  if (!cached) throw new Error('no answer');
  return cached;
}

describe('the storefront response cache', () => {
  it('keeps an answer per language: the same listing in English and French differs', async () => {
    const { store, product } = await storeWithProduct('Linen Shirt');
    await offerLocales(graph.client, store, ['fr']);
    await translate(graph.client, store, product.id, 'fr', { title: 'Chemise en lin' });
    const title = async (headers: Record<string, string>) =>
      (await graph.client.data<Listing>(LISTING, {}, { store: store.slug, headers })).store.products.edges[0]?.node
        .title;
    await eventually('both languages cached', async () => {
      await title({ 'accept-language': 'en' });
      await title({ 'accept-language': 'fr' });
      const english = await measured(() => title({ 'accept-language': 'en' }));
      const french = await measured(() => title({ 'accept-language': 'fr' }));
      return english.statements === 0 && french.statements === 0;
    });
    expect(await title({ 'accept-language': 'en' })).toBe('Linen Shirt');
    expect(await title({ 'accept-language': 'fr' })).toBe('Chemise en lin');
    expect(await title({ 'accept-language': 'fr-BE, fr;q=0.9' })).toBe('Chemise en lin');
  });

  it('answers a repeated anonymous query without touching the database', async () => {
    const { store } = await storeWithProduct('Cached Shirt');
    const cached = await untilCached(store);
    const again = await measured(() => listing(store));
    expect(again).toEqual({ statements: 0, result: cached });
  });

  it('writes a hit as the very text of the answer it stored, its length counted in bytes', async () => {
    // Characters of two, three and four bytes in UTF-8: a length counted in characters would cut the body.
    const { store } = await storeWithProduct('Chemise d’été 🧵');
    await untilCached(store);
    const read = async () => {
      const response = await fetch(graph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-store': store.slug },
        body: JSON.stringify({ query: LISTING }),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      return { length: Number(response.headers.get('content-length')), bytes, text: bytes.toString('utf8') };
    };
    const { statements, result: hit } = await measured(read);
    expect(statements).toBe(0);
    expect(hit.length).toBe(hit.bytes.length);
    const answer = JSON.parse(hit.text) as { data: Listing; extensions?: unknown };
    expect(answer.data.store.products.edges[0]?.node.title).toBe('Chemise d’été 🧵');
    // Apollo Server's own text of the same answer.
    expect(hit.text).toBe(`${JSON.stringify(answer)}\n`);
  });

  it('shows a price changed through the API on the next reads, once the change’s event arrives', async () => {
    const { store, product } = await storeWithProduct('Repriced Shirt');
    const price = async () => (await listing(store)).store.products.edges[0]?.node.variants.edges[0]?.node.price.amount;
    expect((await untilCached(store)).store.products.edges[0]?.node.variants.edges[0]?.node.price.amount).toBe('10.00');
    const { productVariantsUpdate } = await graph.client.data(
      VARIANTS_UPDATE,
      { input: { productId: product.id, variants: [{ id: firstVariantId(product), price: '12.50' }] } },
      asOwner(store),
    );
    expect(productVariantsUpdate.userErrors).toEqual([]);
    await eventually('the new price', async () => (await price()) === '12.50', 10_000);
    expect(await price()).toBe('12.50');
  });

  it('hears of every kind of change a storefront reads: product, stock, category and the store itself', async () => {
    const { store, product } = await storeWithProduct('Linen Shirt');
    const category = await createCategory(graph.client, store, { name: 'Shirts' });
    const first = (data: Listing) => data.store.products.edges[0]?.node;
    const changes: { what: string; change: () => Promise<unknown>; shows: (data: Listing) => boolean }[] = [
      {
        what: 'the product in a category',
        change: () =>
          graph.client.data(
            `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { userErrors { code } } }`,
            { input: { id: product.id, title: 'Linen Shirt (new)', categoryIds: [category.id] } },
            asOwner(store),
          ),
        shows: (data) => first(data)?.title === 'Linen Shirt (new)' && first(data)?.categories[0]?.name === 'Shirts',
      },
      {
        what: 'the stock',
        change: () => adjustStock(graph.client, store, firstVariantId(product), 3),
        shows: (data) => first(data)?.totalInventory === 8,
      },
      {
        what: 'the category',
        change: () => graph.client.data(CATEGORY_UPDATE, { input: { id: category.id, name: 'Linen' } }, asOwner(store)),
        shows: (data) => first(data)?.categories[0]?.name === 'Linen',
      },
      {
        what: 'the store',
        change: () =>
          graph.client.data(mutationDocument('storeUpdate'), { input: { name: 'Renamed' } }, asOwner(store)),
        shows: (data) => data.store.name === 'Renamed',
      },
    ];
    for (const { what, change, shows } of changes) {
      expect(shows(await untilCached(store)), what).toBe(false);
      await change();
      await eventually(what, async () => shows(await listing(store)), 10_000);
    }
  });

  it('shows a follow and an unfollow in the followers count, once their events arrive', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const count = async () =>
      (await graph.client.data(`{ store { followersCount } }`, {}, { store: store.slug })).store.followersCount;
    const untilCountCached = async () =>
      eventually('a cached count', async () => {
        await count();
        return (await measured(count)).statements === 0;
      });
    await untilCountCached();
    await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
    await eventually('the follower', async () => (await count()) === 1, 10_000);
    await untilCountCached();
    await graph.client.data(STORE_UNFOLLOW, { storeId: store.id }, { token: customer.accessToken });
    await eventually('no follower', async () => (await count()) === 0, 10_000);
  });

  it('is bypassed while the relay of its process makes no pass, and answers again once it does', async () => {
    const { store } = await storeWithProduct('Watched Shirt');
    await untilCached(store);
    const { relay } = graph.graph.realtime;
    if (!relay) throw new Error('a graph of one process runs its relay');
    await relay.stop();
    try {
      // Three poll intervals after its last pass, no answer comes from the cache.
      await eventually('the cache to be bypassed', async () => (await measured(() => listing(store))).statements > 0);
    } finally {
      await relay.start();
    }
    await untilCached(store);
  });

  it('keeps stores apart and never caches requests with credentials', async () => {
    const [a, b] = [(await storeWithProduct('Shirt of A')).store, (await storeWithProduct('Shirt of B')).store];
    const titles = async (store: TestStore) =>
      (await listing(store)).store.products.edges.map((edge) => edge.node.title);
    expect(await titles(a)).toEqual(['Shirt of A']);
    expect(await titles(b)).toEqual(['Shirt of B']);

    const asStaff = () => graph.client.data(LISTING, {}, { store: a.slug, token: a.owner.accessToken });
    await asStaff();
    expect((await measured(asStaff)).statements).toBeGreaterThan(0);
  });

  it('keeps the answers of each currency apart and drops them when the store changes its rates', async () => {
    const { store } = await storeWithProduct('Shirt in two currencies');
    await graph.client.data(
      mutationDocument('storeCurrenciesUpdate'),
      { input: { currencies: [{ currencyCode: 'USD', rate: '1.5' }] } },
      asOwner(store),
    );
    const price = async (currency: string) =>
      (await graph.client.data<Listing>(LISTING, {}, { store: store.slug, headers: { 'x-currency': currency } })).store
        .products.edges[0]?.node.variants.edges[0]?.node.price.amount;
    await untilCached(store);
    expect(await price('EUR')).toBe('10.00');
    await eventually('dollars cached', async () => {
      await price('USD');
      const { statements, result } = await measured(() => price('USD'));
      return statements === 0 && result === '15.00';
    });
    expect(await price('EUR')).toBe('10.00');
    await graph.client.data(
      mutationDocument('storeCurrenciesUpdate'),
      { input: { currencies: [{ currencyCode: 'USD', rate: '2' }] } },
      asOwner(store),
    );
    await eventually('the new rate', async () => (await price('USD')) === '20.00', 10_000);
  });

  it('never caches a buyer’s own reads: a cart read after a line is added shows the line', async () => {
    const { store, product } = await storeWithProduct('Cart shirt');
    await untilCached(store);
    const variantId = product.variants[0]!.id;
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }]);
    const read = () => graph.client.data(CART_QUERY, { id: cart.id }, { store: store.slug });
    expect((await read()).cart.totalQuantity).toBe(1);
    expect((await measured(read)).statements).toBeGreaterThan(0);

    await graph.client.data(
      CART_LINES_ADD,
      { cartId: cart.id, lines: [{ variantId, quantity: 2 }] },
      { store: store.slug },
    );
    expect((await read()).cart.totalQuantity).toBe(3);
  });
});
