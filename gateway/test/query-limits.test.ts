import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  errorCodes,
  signUpCustomer,
  startTestGraph,
  type GraphQLResponse,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createStockedProduct, openSocket, Recording, type Socket } from '@commerce/testkit/realtime-kit';

let graph: TestGraph;
let store: TestStore;
const sockets: Socket[] = [];

beforeAll(async () => {
  graph = await startTestGraph();
  store = await createStore(graph.client);
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await graph.close();
});

function socket(params: Parameters<typeof openSocket>[1]): Socket {
  const opened = openSocket(graph.graph.url, params);
  sockets.push(opened);
  return opened;
}

const many = (count: number, item: (index: number) => string, separator = ' ') =>
  Array.from({ length: count }, (_, index) => item(index)).join(separator);

/** Five levels of products within categories within products…: 43,740 ids from a small store, before limits. */
const FIVE_LEVELS = `{ store { products(first: 100) { nodes { categories { products(first: 100) { nodes { categories { products(first: 100) { nodes { categories { products(first: 100) { nodes { categories { products(first: 100) { nodes { id } } } } } } } } } } } } } } } }`;

/** Each abusive document of the issue, and what the gateway answers it with now. */
const ABUSIVE: Array<[string, string, string]> = [
  [
    '10,000 aliases of name @skip(if: false) (289 KB)',
    `{ store { ${many(10_000, (index) => `name${index}: name @skip(if: false)`)} } }`,
    'MAX_TOKENS_EXCEEDED',
  ],
  ['1,000 aliases', `{ store { ${many(1_000, (index) => `a${index}: name`)} } }`, 'MAX_TOKENS_EXCEEDED'],
  [
    '500 aliases of products(first: 100) with variants(first: 100)',
    `{ ${many(500, (index) => `s${index}: store { products(first: 100) { nodes { id title variants(first: 100) { nodes { id sku price { amount } } } } } }`)} }`,
    'MAX_TOKENS_EXCEEDED',
  ],
  ['a five-level nested query', FIVE_LEVELS, 'MAX_DEPTH_EXCEEDED'],
  [
    '10,000 chained fragments',
    `{ store { ...F0 } } ${many(10_000, (index) => `fragment F${index} on Store { id ...F${index + 1} }`)} fragment F10000 on Store { id }`,
    'MAX_TOKENS_EXCEEDED',
  ],
  ['21 aliases', `{ store { ${many(21, (index) => `a${index}: name`)} } }`, 'MAX_ALIASES_EXCEEDED'],
  ['21 directives', `{ store { ${many(21, () => 'name @include(if: true)')} } }`, 'MAX_DIRECTIVES_EXCEEDED'],
  ['a document of 40 KB with few tokens', `# ${'x'.repeat(40_000)}\n{ store { name } }`, 'MAX_DOCUMENT_SIZE_EXCEEDED'],
  [
    'categories nested 300 deep',
    `{ store { categories(first: 1) { nodes { ${'children { '.repeat(300)} id ${'} '.repeat(300)} } } } }`,
    'MAX_DEPTH_EXCEEDED',
  ],
  // Each fragment spreads the one before it twice: 2^60 fields once spread out, in 600 tokens.
  [
    'a fragment that doubles 60 times',
    `{ store { ...F60 } } fragment F0 on Store { id } ${many(60, (index) => `fragment F${index + 1} on Store { ...F${index} ...F${index} }`)}`,
    'MAX_TOKENS_EXCEEDED',
  ],
];

describe('static query limits over HTTP', () => {
  it.each(ABUSIVE)('refuses %s before executing it, with a 400 and its code', async (_name, query, code) => {
    const started = performance.now();
    const response = await graph.client.execute(query, {}, { store: store.slug });
    // Generous: these took seconds (or overflowed the stack) before the limits.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(errorCodes(response)).toEqual([code]);
    expect(response.errors?.[0]?.message).not.toMatch(/Syntax Error|stack/);
  });

  it('answers a cheap query normally while abusive documents arrive', async () => {
    const abusive = ABUSIVE.slice(0, 5).flatMap(([, query]) => [query, query]);
    const [cheap, ...refused] = await Promise.all([
      graph.client.execute(`{ store { slug } }`, {}, { store: store.slug }),
      ...abusive.map((query) => graph.client.execute(query, {}, { store: store.slug })),
    ]);
    expect(cheap?.data).toEqual({ store: { slug: store.slug } });
    expect(refused.map((response) => response.status)).toEqual(abusive.map(() => 400));
  });

  it('runs a query just within every limit', async () => {
    // Nested through parent, not children: eight levels of lists would cost more than GRAPHQL_MAX_COST.
    const query = `{ store { ${many(20, (index) => `a${index}: name @include(if: true)`)} categories(first: 1) { nodes { ${'parent { '.repeat(8)} id ${'} '.repeat(8)} } } } }`;
    const response = await graph.client.execute(query, {}, { store: store.slug });
    expect(response.errors).toBeUndefined();
    expect(response.data?.store).toMatchObject({ a0: expect.any(String), a19: expect.any(String) });
  });
});

describe('static query limits on the subscription socket', () => {
  const subscription = (selection: string) =>
    `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { ${selection} } }`;
  const cases: Array<[string, string, string]> = [
    [
      'too deep',
      subscription(
        `variant { product { variants(first: 1) { nodes { product { variants(first: 1) { nodes { product { variants(first: 1) { nodes { product { id } } } } } } } } } } }`,
      ),
      'MAX_DEPTH_EXCEEDED',
    ],
    ['too many aliases', subscription(many(21, (index) => `a${index}: sequence`)), 'MAX_ALIASES_EXCEEDED'],
    ['too many tokens', subscription(many(400, (index) => `a${index}: sequence`)), 'MAX_TOKENS_EXCEEDED'],
    ['too many directives', subscription(many(21, () => 'sequence @include(if: true)')), 'MAX_DIRECTIVES_EXCEEDED'],
    ['too large', `# ${'x'.repeat(40_000)}\n${subscription('sequence')}`, 'MAX_DOCUMENT_SIZE_EXCEEDED'],
    [
      'chained fragments',
      `${subscription('...F0')} ${many(2_000, (index) => `fragment F${index} on InventoryUpdate { sequence ...F${index + 1} }`)} fragment F2000 on InventoryUpdate { sequence }`,
      'MAX_TOKENS_EXCEEDED',
    ],
  ];

  it.each(cases)('refuses a subscription %s with its code, and the socket stays open', async (_name, query, code) => {
    const product = await createStockedProduct(graph.client, store);
    const storefront = socket({ store: store.slug });
    const refused = new Recording(storefront.client, query, { productId: product.id });
    await refused.ended();
    expect(refused.errorCodes).toEqual([code]);
    const allowed = new Recording(storefront.client, subscription('sequence'), { productId: product.id });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(allowed.error).toBeNull();
    allowed.dispose();
  });
});

describe('strings PostgreSQL cannot store', () => {
  const refusedFor = (response: GraphQLResponse<unknown>) => ({
    status: response.status,
    codes: errorCodes(response),
    field: response.errors?.[0]?.extensions?.field,
    message: response.errors?.[0]?.message,
  });

  it('refuses a NUL in a storefront filter, a handle or a tag, in variables and in literals, naming the field', async () => {
    const options = { store: store.slug };
    const search = await graph.client.execute(
      `query ($query: String) { store { products(first: 5, filter: { query: $query }) { nodes { id } } } }`,
      { query: 'shirt\u0000' },
      options,
    );
    expect(refusedFor(search)).toMatchObject({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      field: ['query'],
      message: expect.stringContaining('NUL'),
    });
    const literal = await graph.client.execute(
      `{ store { products(first: 5, filter: { query: "shirt\\u0000" }) { nodes { id } } } }`,
      {},
      options,
    );
    expect(refusedFor(literal)).toMatchObject({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      field: ['filter', 'query'],
      message: expect.stringContaining('filter.query'),
    });
    const handle = await graph.client.execute(
      `query ($handle: String!) { store { product(handle: $handle) { id } } }`,
      { handle: 'a\u0000b' },
      options,
    );
    expect(refusedFor(handle)).toMatchObject({ status: 400, codes: ['BAD_USER_INPUT'], field: ['handle'] });
    const handleLiteral = await graph.client.execute(`{ store { product(handle: "a\\u0000b") { id } } }`, {}, options);
    expect(refusedFor(handleLiteral)).toMatchObject({ status: 400, codes: ['BAD_USER_INPUT'], field: ['handle'] });
    const tag = await graph.client.execute(
      `query ($filter: ProductFilter) { store { products(first: 5, filter: $filter) { nodes { id } } } }`,
      { filter: { tag: '\u0000' } },
      options,
    );
    expect(refusedFor(tag)).toMatchObject({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      field: ['filter', 'tag'],
      message: expect.stringContaining('filter.tag'),
    });
  });

  it('refuses a NUL or a lone surrogate in productCreate, customerSignUp and customerAddressCreate inputs', async () => {
    const staff = { token: store.owner.accessToken, store: store.slug };
    const create = `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } userErrors { code } } }`;
    const title = await graph.client.execute(
      create,
      { input: { title: 'Linen\u0000', status: 'ACTIVE', variants: [{ price: '1.00' }] } },
      staff,
    );
    expect(refusedFor(title)).toMatchObject({ status: 400, codes: ['BAD_USER_INPUT'], field: ['input', 'title'] });
    const sku = await graph.client.execute(
      create,
      { input: { title: 'Linen', variants: [{ price: '1.00' }, { sku: 'A\ud800', price: '1.00' }] } },
      staff,
    );
    expect(refusedFor(sku)).toMatchObject({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      field: ['input', 'variants', '1', 'sku'],
      message: expect.stringContaining('surrogate'),
    });
    const titleLiteral = await graph.client.execute(
      `mutation { productCreate(input: { title: "Linen\\u0000", variants: [{ price: "1.00" }] }) { product { id } } }`,
      {},
      staff,
    );
    expect(refusedFor(titleLiteral)).toMatchObject({
      status: 400,
      codes: ['BAD_USER_INPUT'],
      field: ['input', 'title'],
    });

    const signUp = `mutation ($input: CustomerSignUpInput!) { customerSignUp(input: $input) { customer { id } userErrors { code } } }`;
    const email = await graph.client.execute(
      signUp,
      { input: { email: 'ada\u0000@example.com', password: 'plum orchard lantern', firstName: 'Ada', lastName: 'L' } },
      { store: store.slug },
    );
    expect(refusedFor(email)).toMatchObject({ status: 400, codes: ['BAD_USER_INPUT'], field: ['input', 'email'] });

    const customer = await signUpCustomer(graph.client, store);
    const address = await graph.client.execute(
      `mutation ($input: CustomerAddressCreateInput!) { customerAddressCreate(input: $input) { address { id } userErrors { code } } }`,
      {
        input: {
          address1: 'Hauptstraße 1\u0000',
          city: 'Berlin',
          zip: '10115',
          countryCode: 'DE',
          firstName: 'Ada',
          lastName: 'L',
        },
      },
      { token: customer.accessToken },
    );
    expect(refusedFor(address)).toMatchObject({ status: 400, codes: ['BAD_USER_INPUT'], field: ['input', 'address1'] });
    // Nothing was stored: the customer still has no address, and the store no product.
    const after = await graph.client.data<{ currentCustomer: { addresses: unknown[] } }>(
      `{ currentCustomer { addresses { id } } }`,
      {},
      { token: customer.accessToken },
    );
    expect(after.currentCustomer.addresses).toEqual([]);
  });

  it('still accepts every other character, tabs and emoji included', async () => {
    const response = await graph.client.execute(
      `query ($query: String) { store { products(first: 5, filter: { query: $query }) { nodes { id } } } }`,
      { query: 'tab\there 👕 ünïcödé' },
      { store: store.slug },
    );
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
  });

  it('refuses a NUL in a subscription variable on the socket', async () => {
    const storefront = socket({ store: store.slug });
    const refused = new Recording(
      storefront.client,
      `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { sequence } }`,
      { productId: 'UHJvZHVjdDo\u0000' },
    );
    await refused.ended();
    expect(refused.error).toEqual([
      {
        message: expect.stringContaining('Variable "$productId" holds a NUL'),
        extensions: { code: 'BAD_USER_INPUT', field: ['productId'] },
      },
    ]);
  });
});

describe('field suggestions follow introspection', () => {
  let closed: TestGraph;
  beforeAll(async () => {
    closed = await startTestGraph({ protection: { introspection: false } });
  });
  afterAll(async () => {
    await closed.close();
  });

  const MISSPELT = `{ store { nme } }`;
  const ENUM = `query ($sortKey: ProductSortKeys) { store { products(first: 1, sortKey: $sortKey) { nodes { id } } } }`;

  it('suggests fields and enum values while introspection is on', async () => {
    const misspelt = await graph.client.execute(MISSPELT, {}, { store: store.slug });
    expect(misspelt.errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
    const sortKey = await graph.client.execute(ENUM, { sortKey: 'TITEL' }, { store: store.slug });
    expect(sortKey.errors?.[0]?.message).toMatch(/Did you mean the enum value "TITLE"\?/);
    const introspection = await graph.client.execute(`{ __schema { queryType { name } } }`);
    expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses introspection and suggests nothing when introspection is off, over HTTP and on the socket', async () => {
    const introspection = await closed.client.execute(`{ __schema { queryType { name } } }`);
    expect(introspection.status).toBe(400);
    expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const misspelt = await closed.client.execute(MISSPELT, {}, { store: store.slug });
    expect(misspelt.errors?.[0]?.message).toBe('Cannot query field "nme" on type "Store".');
    const sortKey = await closed.client.execute(ENUM, { sortKey: 'TITEL' }, { store: store.slug });
    expect(errorCodes(sortKey)).toEqual(['BAD_USER_INPUT']);
    expect(sortKey.errors?.[0]?.message).not.toMatch(/Did you mean|TITLE/);

    const product = await createStockedProduct(closed.client, store);
    const storefront = openSocket(closed.graph.url, { store: store.slug });
    sockets.push(storefront);
    const refused = new Recording(
      storefront.client,
      `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { sequense } }`,
      { productId: product.id },
    );
    await refused.ended();
    expect(refused.errorCodes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(refused.error)).not.toMatch(/Did you mean/);
  });
});

describe('query limits turned off (GRAPHQL_QUERY_LIMITS=off, to measure them)', () => {
  let unlimited: TestGraph;
  beforeAll(async () => {
    unlimited = await startTestGraph({ protection: { limits: false } });
  });
  afterAll(async () => {
    await unlimited.close();
  });

  it('answers a document over the alias limit, and still refuses unstorable strings', async () => {
    const aliases = `{ store { ${many(25, (index) => `a${index}: name`)} } }`;
    expect(errorCodes(await graph.client.execute(aliases, {}, { store: store.slug }))).toEqual([
      'MAX_ALIASES_EXCEEDED',
    ]);
    const answered = await unlimited.client.execute(aliases, {}, { store: store.slug });
    expect(answered.errors).toBeUndefined();
    expect(Object.keys((answered.data as { store: Record<string, string> }).store)).toHaveLength(25);
    const nul = await unlimited.client.execute(
      `query ($handle: String!) { store { product(handle: $handle) { id } } }`,
      { handle: 'a\u0000b' },
      { store: store.slug },
    );
    expect(errorCodes(nul)).toEqual(['BAD_USER_INPUT']);
  });
});
