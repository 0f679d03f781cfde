// The storefront reads the benchmark sends: the same documents and variables to the real graph and
// to the floor (floor/), and to the check that both answer them in the same shape.

/** The bench store's slug (X-Store). */
export const BENCH_STORE = 'bench';

/** Products seeded in the bench store; the floor holds as many. */
export const BENCH_PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);

export const LISTING = `query Listing { store { products(first: 24, sortKey: CREATED_AT) { edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText } variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } } pageInfo { hasNextPage endCursor } } } }`;
export const PRODUCT = `query Product($handle: String!) { store { product(handle: $handle) { id title description options { name values } images { url } variants(first: 10) { edges { node { id sku price { amount } compareAtPrice { amount } inventory { available } } } } } } }`;
export const SEARCH = `query Search($query: String!) { store { products(first: 24, filter: { query: $query }) { edges { node { id title handle priceRange { minVariantPrice { amount } } } } } } }`;

/** The words the search read cycles through: each starts the titles of an eighth of the bench products. */
export const SEARCH_WORDS = ['linen', 'merino', 'canvas', 'trail', 'classic', 'urban', 'summer', 'organic'];

export interface RequestBody {
  query: string;
  variables?: Record<string, unknown>;
}

export interface Scenario {
  /** A short name for tables (listing, product by handle, search). */
  read: string;
  name: string;
  bodies: RequestBody[];
}

export const LISTING_SCENARIO: Scenario = {
  read: 'listing',
  name: 'storefront listing (24 products with variants, prices, images, inventory)',
  bodies: [{ query: LISTING }],
};

/** Each scenario cycles through its request bodies, as many storefront visitors would. */
export const SCENARIOS: Scenario[] = [
  LISTING_SCENARIO,
  {
    read: 'product by handle',
    name: 'product by handle (500 different products)',
    bodies: Array.from({ length: 500 }, (_, index) => ({
      query: PRODUCT,
      variables: { handle: `product-${1 + ((index * 19) % BENCH_PRODUCTS)}` },
    })),
  },
  {
    read: 'search',
    name: 'search (8 different words)',
    bodies: SEARCH_WORDS.map((query) => ({ query: SEARCH, variables: { query } })),
  },
];
