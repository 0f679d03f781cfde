import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  sharedTestGraph,
  signUpCustomer,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { asOwner, createCategory } from '@commerce/testkit/catalog-kit';
import { offerLocales, translate, TRANSLATIONS_REGISTER } from '@commerce/testkit/translation-kit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(() => graph.close());

const LISTING = `query ($query: String) { store { products(first: 10, sortKey: TITLE, filter: { query: $query }) { nodes {
  title description seo { title description }
  options { id name values }
  variants(first: 5) { nodes { id title } }
  categories { name }
} } } }`;

interface ListedProduct {
  title: string;
  description: string;
  seo: { title: string; description: string };
  options: { id: string; name: string; values: string[] }[];
  variants: { nodes: { id: string; title: string }[] };
  categories: { name: string }[];
}

/** The storefront listing as an anonymous shopper reads it with this Accept-Language (none: the store's default). */
async function listing(store: TestStore, language?: string, query?: string): Promise<ListedProduct[]> {
  const data = await graph.client.data(
    LISTING,
    { query },
    { store: store.slug, headers: language ? { 'accept-language': language } : {} },
  );
  return data.store.products.nodes;
}

/** A store offering French, with a shirt (options, variants, a category) translated to French and a mug not. */
async function frenchStore() {
  const store = await createStore(graph.client);
  await offerLocales(graph.client, store, ['fr']);
  const category = await createCategory(graph.client, store, { name: 'Shirts' });
  const shirt = await createProduct(graph.client, store, {
    title: 'Linen Shirt',
    description: 'A light shirt.',
    categoryIds: [category.id],
    options: [{ name: 'Colour', values: ['Red', 'Blue'] }],
    variants: [
      { price: '10.00', options: [{ name: 'Colour', value: 'Red' }] },
      { price: '10.00', options: [{ name: 'Colour', value: 'Blue' }] },
    ],
  });
  await createProduct(graph.client, store, { title: 'Mug', description: 'For coffee.' });
  const [listed] = await listing(store);
  if (!listed?.options[0] || !listed.variants.nodes[0]) throw new Error('no shirt');
  await translate(graph.client, store, shirt.id, 'fr', { title: 'Chemise en lin', description: 'Une chemise légère.' });
  await translate(graph.client, store, listed.options[0].id, 'fr', { name: 'Couleur', 'value:Red': 'Rouge' });
  await translate(graph.client, store, listed.variants.nodes[0].id, 'fr', { title: 'Rouge' });
  await translate(graph.client, store, category.id, 'fr', { name: 'Chemises' });
  return { store, shirt, category, option: listed.options[0], variant: listed.variants.nodes[0] };
}

describe('translated catalog content', () => {
  it('answers a French request in French, falling back to the default language where nothing is translated', async () => {
    const { store } = await frenchStore();
    const [shirt, mug] = await listing(store, 'fr-CA,fr;q=0.9,en;q=0.5');
    expect(shirt).toMatchObject({
      title: 'Chemise en lin',
      description: 'Une chemise légère.',
      options: [{ name: 'Couleur', values: ['Rouge', 'Blue'] }],
      categories: [{ name: 'Chemises' }],
    });
    expect(shirt?.variants.nodes.map((variant) => variant.title)).toEqual(['Rouge', 'Blue']);
    expect(mug).toMatchObject({ title: 'Mug', description: 'For coffee.' });
  });

  it('answers in the store’s default language without Accept-Language or for a language it does not offer', async () => {
    const { store } = await frenchStore();
    for (const language of [undefined, 'de-DE,de;q=0.9', '*']) {
      const [shirt] = await listing(store, language);
      expect(shirt?.title, language).toBe('Linen Shirt');
      expect(shirt?.categories, language).toEqual([{ name: 'Shirts' }]);
    }
  });

  it('reads a single product and a category in French too', async () => {
    const { store, shirt, category } = await frenchStore();
    const data = await graph.client.data(
      `query ($id: ID!, $categoryId: ID!) { store { product(id: $id) { title options { name } } }
        node(id: $categoryId) { ... on Category { name } } }`,
      { id: shirt.id, categoryId: category.id },
      { store: store.slug, headers: { 'accept-language': 'fr' } },
    );
    expect(data.store.product).toEqual({ title: 'Chemise en lin', options: [{ name: 'Couleur' }] });
    expect(data.node).toEqual({ name: 'Chemises' });
  });

  it('finds a product by a French word, stemmed as French is, only in French requests', async () => {
    const { store } = await frenchStore();
    expect((await listing(store, 'fr', 'chemises')).map((product) => product.title)).toEqual(['Chemise en lin']);
    expect((await listing(store, 'fr', 'légères')).map((product) => product.title)).toEqual(['Chemise en lin']);
    expect((await listing(store, 'fr', 'linen')).map((product) => product.title)).toEqual(['Chemise en lin']);
    expect(await listing(store, 'en', 'chemise')).toEqual([]);
  });
});

describe('product SEO', () => {
  it('defaults to the title and the description’s text, and follows what staff set and translate', async () => {
    const store = await createStore(graph.client);
    await offerLocales(graph.client, store, ['fr']);
    const product = await createProduct(graph.client, store, {
      title: 'Desk Lamp',
      description: `<p>Warm <b>brass</b> light.</p>${' word'.repeat(100)}`,
    });
    const [lamp] = await listing(store);
    expect(lamp?.seo.title).toBe('Desk Lamp');
    expect(lamp?.seo.description.startsWith('Warm brass light. word')).toBe(true);
    expect(lamp?.seo.description.length).toBeLessThanOrEqual(320);

    const { productUpdate } = await graph.client.data(
      `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { seo { title description } } userErrors { field code } } }`,
      { input: { id: product.id, seo: { title: 'Brass desk lamp', description: 'A lamp for desks.' } } },
      asOwner(store),
    );
    expect(productUpdate).toEqual({
      product: { seo: { title: 'Brass desk lamp', description: 'A lamp for desks.' } },
      userErrors: [],
    });
    await translate(graph.client, store, product.id, 'fr', { seoTitle: 'Lampe de bureau en laiton' });
    const [french] = await listing(store, 'fr');
    expect(french?.seo).toEqual({ title: 'Lampe de bureau en laiton', description: 'A lamp for desks.' });

    const tooLong = await graph.client.data(
      `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { userErrors { field code } } }`,
      { input: { id: product.id, seo: { title: 'x'.repeat(71) } } },
      asOwner(store),
    );
    expect(tooLong.productUpdate.userErrors).toEqual([{ field: ['input', 'seo', 'title'], code: 'TOO_LONG' }]);
  });
});

describe('registering translations', () => {
  const register = (store: TestStore, input: Record<string, unknown>, as: { token?: string } = {}) =>
    graph.client.execute(TRANSLATIONS_REGISTER, { input }, { store: store.slug, token: as.token });

  it('shows staff a resource’s translations per language, and refuses them to shoppers', async () => {
    const { store, shirt } = await frenchStore();
    const query = `query ($id: ID!, $locale: String!) { store { product(id: $id) { translations(locale: $locale) { key locale value } } } }`;
    const staff = await graph.client.data(query, { id: shirt.id, locale: 'fr' }, asOwner(store));
    expect(staff.store.product.translations).toEqual([
      { key: 'description', locale: 'fr', value: 'Une chemise légère.' },
      { key: 'title', locale: 'fr', value: 'Chemise en lin' },
    ]);
    const anonymous = await graph.client.execute(query, { id: shirt.id, locale: 'fr' }, { store: store.slug });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses anonymous callers and customers', async () => {
    const { store, shirt } = await frenchStore();
    const input = { resourceId: shirt.id, locale: 'fr', translations: [{ key: 'title', value: 'Volé' }] };
    const anonymous = await register(store, input);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const customer = await signUpCustomer(graph.client, store);
    const asCustomer = await register(store, input, { token: customer.accessToken });
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await listing(store, 'fr'))[0]?.title).toBe('Chemise en lin');
  });

  it('answers userErrors for a language the store does not offer, an unknown key and a foreign resource', async () => {
    const { store, shirt } = await frenchStore();
    const other = await createStore(graph.client);
    const foreign = await createProduct(graph.client, other, {});
    const errorsOf = async (input: Record<string, unknown>) =>
      (await register(store, input, { token: store.owner.accessToken })).data?.translationsRegister.userErrors.map(
        (error: { field: string[]; code: string }) => ({ field: error.field, code: error.code }),
      );
    expect(
      await errorsOf({ resourceId: shirt.id, locale: 'de', translations: [{ key: 'title', value: 'Hemd' }] }),
    ).toEqual([{ field: ['input', 'locale'], code: 'LOCALE_NOT_ENABLED' }]);
    expect(
      await errorsOf({ resourceId: shirt.id, locale: 'fr', translations: [{ key: 'colour', value: 'x' }] }),
    ).toEqual([{ field: ['input', 'translations', '0', 'key'], code: 'INVALID_KEY' }]);
    expect(
      await errorsOf({ resourceId: foreign.id, locale: 'fr', translations: [{ key: 'title', value: 'x' }] }),
    ).toEqual([{ field: ['input', 'resourceId'], code: 'NOT_FOUND' }]);
  });

  it('removes a translation given blank, so the field falls back to the default language', async () => {
    const { store, shirt } = await frenchStore();
    await translate(graph.client, store, shirt.id, 'fr', { title: '' });
    expect((await listing(store, 'fr'))[0]?.title).toBe('Linen Shirt');
  });

  it('translates the store’s SEO, which Store.seo shows in the request’s language', async () => {
    const { store } = await frenchStore();
    await graph.client.data(
      `mutation { storeConfigUpdate(input: { seo: { metaTitle: "Linen goods" } }) { userErrors { code } } }`,
      {},
      asOwner(store),
    );
    await translate(graph.client, store, store.id, 'fr', { 'seo.metaTitle': 'Articles en lin' });
    const seo = async (language: string) =>
      (
        await graph.client.data(
          `{ store { locales seo { metaTitle } } }`,
          {},
          {
            store: store.slug,
            headers: { 'accept-language': language },
          },
        )
      ).store;
    expect(await seo('fr')).toEqual({ locales: ['en', 'fr'], seo: { metaTitle: 'Articles en lin' } });
    expect(await seo('en')).toEqual({ locales: ['en', 'fr'], seo: { metaTitle: 'Linen goods' } });
  });
});
