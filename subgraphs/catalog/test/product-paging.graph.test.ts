import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { toGlobalId } from '@commerce/graphql-kit';
import {
  type BulkProduct,
  expectedProductOrder,
  insertProducts,
  PRODUCT_PAGE as PAGE,
  type ProductPage as Page,
  type ProductSortKeyName,
  type SortedProduct,
  sortedProducts,
} from '@commerce/testkit/catalog-kit';

const SORT_KEYS: ProductSortKeyName[] = ['TITLE', 'PRICE', 'CREATED_AT', 'UPDATED_AT'];
const PAGE_SIZE = 7;

let graph: SharedTestGraph;
let store: TestStore;
let rows: SortedProduct[];

// 30 products with many equal titles, prices and timestamps, so that the id has to break ties.
beforeAll(async () => {
  graph = await sharedTestGraph();
  store = await createStore(graph.client);
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const products: BulkProduct[] = Array.from({ length: 30 }, (_, i) => ({
    title: ['alpha', 'bravo', 'charlie', 'delta'][i % 4] ?? 'alpha',
    prices: [['1.00', '2.50', '2.50', '10.00', '0.99'][i % 5] ?? '1.00'],
    createdAt: new Date(start + (i % 6) * 1000),
    updatedAt: new Date(start + (i % 7) * 60_000),
  }));
  const owner = ownerPrisma();
  const ids = await insertProducts(owner, keyOf(store.id), products);
  await owner.$disconnect();
  rows = sortedProducts(products, ids);
});
afterAll(() => graph.close());

/** Every product in visiting order, paging forward with first/after or backward with last/before. */
async function visitAll(
  sortKey: ProductSortKeyName,
  reverse: boolean,
  direction: 'forward' | 'backward',
): Promise<{ ids: string[]; pages: Page[] }> {
  const ids: string[] = [];
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (;;) {
    const variables =
      direction === 'forward'
        ? { first: PAGE_SIZE, after: cursor, sortKey, reverse }
        : { last: PAGE_SIZE, before: cursor, sortKey, reverse };
    const data = await graph.client.data(PAGE, variables, { store: store.slug });
    const page: Page = data.store.products;
    pages.push(page);
    const pageIds = page.edges.map((edge) => edge.node.id);
    ids.push(...(direction === 'forward' ? pageIds : pageIds.reverse()));
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) break;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (pages.length > 10) throw new Error('paging does not end');
  }
  return { ids, pages };
}

describe('paging Store.products', () => {
  for (const sortKey of SORT_KEYS) {
    for (const reverse of [false, true]) {
      it(`${sortKey}${reverse ? ' reversed' : ''}: first/after visits each product once in order, last/before the same in reverse`, async () => {
        const expected = expectedProductOrder(rows, sortKey, reverse);
        const forward = await visitAll(sortKey, reverse, 'forward');
        expect(forward.ids).toEqual(expected);
        expect(forward.pages.map((page) => page.edges.length)).toEqual([7, 7, 7, 7, 2]);
        expect(forward.pages[0]?.pageInfo.hasPreviousPage).toBe(false);

        const backward = await visitAll(sortKey, reverse, 'backward');
        expect(backward.ids).toEqual([...expected].reverse());
        expect(backward.pages.map((page) => page.edges.length)).toEqual([7, 7, 7, 7, 2]);
        expect(backward.pages[0]?.pageInfo.hasNextPage).toBe(false);
      });
    }
  }
});

describe('paging a search by RELEVANCE', () => {
  const QUERY = 'lamp';
  let searchStore: TestStore;
  let groups: string[][];

  // 30 matches in four groups of falling rank (the word twice in the title, once in the title, in a
  // tag, in the description), with equal ranks inside each group, so that the id has to break ties.
  beforeAll(async () => {
    searchStore = await createStore(graph.client);
    const make = (count: number, product: Omit<BulkProduct, 'prices'>): BulkProduct[] =>
      Array.from({ length: count }, () => ({ ...product, prices: ['5.00'] }));
    const owner = ownerPrisma();
    const storeId = keyOf(searchStore.id);
    groups = [
      await insertProducts(owner, storeId, make(4, { title: 'Lamp lamp' })),
      await insertProducts(owner, storeId, make(12, { title: 'Lamp' })),
      await insertProducts(owner, storeId, make(7, { title: 'Desk', tags: ['lamp'] })),
      await insertProducts(owner, storeId, make(7, { title: 'Shade', description: 'Fits any lamp.' })),
    ];
    await insertProducts(owner, storeId, make(3, { title: 'Chair' }));
    await owner.$disconnect();
  });

  it('first/after and last/before visit every match exactly once, best first, ties by id; reverse turns it round', async () => {
    // Best first; within a group the ids fall (the id follows the rank's direction).
    const byRank = groups.flatMap((group) => [...group].sort().reverse()).map((id) => toGlobalId('Product', id));
    for (const reverse of [false, true]) {
      const expected = reverse ? [...byRank].reverse() : byRank;
      const forward = await visitSearch(searchStore, QUERY, reverse, 'forward');
      expect(forward.ids).toEqual(expected);
      expect(forward.pages.map((page) => page.edges.length)).toEqual([7, 7, 7, 7, 2]);
      const backward = await visitSearch(searchStore, QUERY, reverse, 'backward');
      expect(backward.ids).toEqual([...expected].reverse());
    }
  });

  it('RELEVANCE without a search query is BAD_USER_INPUT', async () => {
    const response = await graph.client.execute(
      `{ store { products(first: 5, sortKey: RELEVANCE) { nodes { id } } } }`,
      {},
      { store: searchStore.slug },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('a RELEVANCE cursor is no cursor of another sort key', async () => {
    const page = await graph.client.data(
      SEARCH_PAGE,
      { query: QUERY, first: 1, reverse: false },
      { store: searchStore.slug },
    );
    const cursor = page.store.products.edges[0].cursor;
    const mixed = await graph.client.execute(
      `query ($after: String) { store { products(first: 1, after: $after, sortKey: TITLE, filter: { query: "lamp" }) { nodes { id } } } }`,
      { after: cursor },
      { store: searchStore.slug },
    );
    expect(errorCodes(mixed)).toEqual(['BAD_USER_INPUT']);
  });
});

const SEARCH_PAGE = `query ($query: String, $first: Int, $after: String, $last: Int, $before: String, $reverse: Boolean) {
  store { products(first: $first, after: $after, last: $last, before: $before, sortKey: RELEVANCE, reverse: $reverse, filter: { query: $query }) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}`;

async function visitSearch(
  searchStore: TestStore,
  query: string,
  reverse: boolean,
  direction: 'forward' | 'backward',
): Promise<{ ids: string[]; pages: Page[] }> {
  const ids: string[] = [];
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (;;) {
    const variables =
      direction === 'forward'
        ? { query, first: PAGE_SIZE, after: cursor, reverse }
        : { query, last: PAGE_SIZE, before: cursor, reverse };
    const data = await graph.client.data(SEARCH_PAGE, variables, { store: searchStore.slug });
    const page: Page = data.store.products;
    pages.push(page);
    const pageIds = page.edges.map((edge) => edge.node.id);
    ids.push(...(direction === 'forward' ? pageIds : pageIds.reverse()));
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) break;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (pages.length > 10) throw new Error('paging does not end');
  }
  return { ids, pages };
}
