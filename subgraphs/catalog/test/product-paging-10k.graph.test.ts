// Paging a large catalog: 10,000 products of one store, paged through the gateway by every sort key,
// forwards, backwards and reversed, must visit each product exactly once and in the right order.
// product-paging.graph.test.ts proves the same on 30 products; at this size a page boundary falls
// inside long runs of equal sort values, which is where a keyset cursor that drops or repeats
// tied rows would show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, toGlobalId } from '@commerce/graphql-kit';
import {
  createStore,
  keyOf,
  ownerPrisma,
  QUIET_RELAY,
  startTestGraph,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
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
const PRODUCT_COUNT = 10_000;
const PAGE_SIZE = MAX_PAGE_SIZE;
// A walk that takes more pages than this loops (or repeats pages) instead of ending.
const MAX_PAGES = PRODUCT_COUNT / PAGE_SIZE + 5;
const WALK_TIMEOUT = 60_000;

// Few distinct values per sort key, so each value is shared by over a thousand products and the id
// has to break the ties. The list lengths are coprime so the keys vary independently of each other.
// Three of the five titles contain the search word, "delta" twice, which gives two ranks.
const SEARCH_WORD = 'lamp';
const TITLES = ['alpha', 'bravo lamp', 'charlie', 'delta lamp lamp', 'echo lamp'];
// '10.00' sorts before '2.50' as text: the price order must be numeric.
const PRICES = ['2.50', '10.00', '0.99', '1.00'];
const START = Date.parse('2026-01-01T00:00:00.000Z');
const CREATED_AT = Array.from({ length: 7 }, (_, i) => new Date(START + i * 1000));
const UPDATED_AT = Array.from({ length: 9 }, (_, i) => new Date(START + i * 60_000));

let graph: TestGraph;
let store: TestStore;
let rows: SortedProduct[];

beforeAll(async () => {
  graph = await startTestGraph({ realtime: QUIET_RELAY });
  store = await createStore(graph.client);
  const products: BulkProduct[] = Array.from({ length: PRODUCT_COUNT }, (_, i) => ({
    title: TITLES[i % TITLES.length] ?? 'alpha',
    prices: [PRICES[i % PRICES.length] ?? '1.00'],
    createdAt: CREATED_AT[i % CREATED_AT.length],
    updatedAt: UPDATED_AT[i % UPDATED_AT.length],
  }));
  const owner = ownerPrisma();
  const ids = await insertProducts(owner, keyOf(store.id), products);
  await owner.$disconnect();
  rows = sortedProducts(products, ids);
}, 120_000);
afterAll(() => graph?.close());

/** One request of a walk: the cursor it was asked with and the ids it returned, in visiting order. */
interface Step {
  cursor: string | null;
  ids: string[];
}

interface Walk {
  /** Every product in visiting order (a backward walk's pages are turned round, so this runs from the end). */
  ids: string[];
  steps: Step[];
  pages: Page[];
}

type Listing = { sortKey: ProductSortKeyName | 'RELEVANCE'; reverse?: boolean; filter?: { query: string } };

/** Pages through the whole listing with first/after (forward) or last/before (backward). */
async function walk(listing: Listing, direction: 'forward' | 'backward'): Promise<Walk> {
  const result: Walk = { ids: [], steps: [], pages: [] };
  let cursor: string | null = null;
  for (;;) {
    const variables =
      direction === 'forward'
        ? { ...listing, first: PAGE_SIZE, after: cursor }
        : { ...listing, last: PAGE_SIZE, before: cursor };
    const data = await graph.client.data(PAGE, variables, { store: store.slug });
    const page: Page = data.store.products;
    const pageIds = page.edges.map((edge) => edge.node.id);
    const ids = direction === 'forward' ? pageIds : pageIds.reverse();
    result.pages.push(page);
    result.steps.push({ cursor, ids });
    result.ids.push(...ids);
    const more = direction === 'forward' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
    if (!more) break;
    cursor = direction === 'forward' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
    if (result.pages.length > MAX_PAGES)
      throw new Error(`${describeListing(listing, direction)}: paging does not end after ${MAX_PAGES} pages`);
  }
  return result;
}

function describeListing(listing: Listing, direction: string): string {
  return `${listing.sortKey}${listing.reverse ? ' reversed' : ''} ${direction}`;
}

/** The page (1-based) and request cursor of the product at this position of a walk. */
function whereIn(walked: Walk, position: number): string {
  let start = 0;
  for (const [index, step] of walked.steps.entries()) {
    if (position < start + step.ids.length) {
      const cursor =
        step.cursor === null
          ? 'no cursor'
          : `cursor ${step.cursor} = ${Buffer.from(step.cursor, 'base64url').toString('utf8')}`;
      return `page ${index + 1} of ${walked.steps.length} (asked with ${cursor}), item ${position - start + 1}`;
    }
    start += step.ids.length;
  }
  return `after the last page (${walked.steps.length} pages)`;
}

/**
 * Why a walk is not exactly `expected`, or null when it is: the first duplicate, the first product
 * out of place, or what is missing, each with the page and cursor it happened at. (A plain toEqual of
 * 10,000 ids would print a diff nobody can read.)
 */
function mismatch(walked: Walk, expected: string[]): string | null {
  const seen = new Map<string, number>();
  for (const [position, id] of walked.ids.entries()) {
    const first = seen.get(id);
    if (first !== undefined)
      return `${id} is visited twice: first on ${whereIn(walked, first)}, again on ${whereIn(walked, position)}`;
    seen.set(id, position);
  }
  const missing = expected.filter((id) => !seen.has(id));
  const expectedIds = new Set(expected);
  const unexpected = walked.ids.filter((id) => !expectedIds.has(id));
  if (missing.length || unexpected.length) {
    const some = (ids: string[]) => ids.slice(0, 3).join(', ');
    return `${walked.ids.length} products visited, ${expected.length} expected: ${missing.length} missing (${some(missing)}), ${unexpected.length} not expected (${some(unexpected)})`;
  }
  const wrong = expected.findIndex((id, position) => walked.ids[position] !== id);
  if (wrong >= 0) {
    const got = walked.ids[wrong] ?? '';
    return `out of order at position ${wrong}, ${whereIn(walked, wrong)}: expected ${expected[wrong]}, got ${got} (which belongs at ${expected.indexOf(got)})`;
  }
  return null;
}

/** Asserts the walk visits exactly `expected` in order, in full pages, and that its first page says so. */
function expectWalk(walked: Walk, expected: string[], direction: 'forward' | 'backward'): void {
  expect(mismatch(walked, expected)).toBeNull();
  // Every page but the last is full: a short page in the middle would mean rows lost at a boundary.
  const sizes = Array.from({ length: Math.ceil(expected.length / PAGE_SIZE) }, (_, i) =>
    Math.min(PAGE_SIZE, expected.length - i * PAGE_SIZE),
  );
  expect(walked.pages.map((page) => page.edges.length)).toEqual(sizes);
  // The walk follows pageInfo's cursors; a client following the edges' cursors must walk the same way.
  const offCursors = walked.pages.filter(
    (page) =>
      page.pageInfo.startCursor !== page.edges[0]?.cursor || page.pageInfo.endCursor !== page.edges.at(-1)?.cursor,
  );
  expect(offCursors).toEqual([]);
  const first = walked.pages[0]?.pageInfo;
  expect(direction === 'forward' ? first?.hasPreviousPage : first?.hasNextPage).toBe(false);
}

describe(`paging ${PRODUCT_COUNT} products of a store, ${PAGE_SIZE} at a time`, () => {
  for (const sortKey of SORT_KEYS) {
    it(
      `${sortKey}: first/after visits each product once in order`,
      async () => {
        expectWalk(await walk({ sortKey }, 'forward'), expectedProductOrder(rows, sortKey, false), 'forward');
      },
      WALK_TIMEOUT,
    );

    it(
      `${sortKey}: last/before visits each product once in reverse order`,
      async () => {
        expectWalk(
          await walk({ sortKey }, 'backward'),
          expectedProductOrder(rows, sortKey, false).reverse(),
          'backward',
        );
      },
      WALK_TIMEOUT,
    );

    it(
      `${sortKey} reversed: first/after visits each product once in reverse order`,
      async () => {
        expectWalk(
          await walk({ sortKey, reverse: true }, 'forward'),
          expectedProductOrder(rows, sortKey, true),
          'forward',
        );
      },
      WALK_TIMEOUT,
    );
  }
});

describe(`paging a search for "${SEARCH_WORD}" over ${PRODUCT_COUNT} products by RELEVANCE`, () => {
  const listing: Listing = { sortKey: 'RELEVANCE', filter: { query: SEARCH_WORD } };

  it(
    'first/after and last/before visit every match exactly once, the one the other turned round',
    async () => {
      // Best first: the titles with the word twice, then the ones with it once (equal ranks), ties by
      // falling id as product-paging.graph.test.ts establishes.
      const occurrences = (row: SortedProduct) => row.title.split(' ').filter((word) => word === SEARCH_WORD).length;
      const expected = rows
        .filter((row) => occurrences(row) > 0)
        .sort((a, b) => occurrences(b) - occurrences(a) || (a.id < b.id ? 1 : -1))
        .map((row) => toGlobalId('Product', row.id));
      expect(expected.length).toBe(PRODUCT_COUNT * (3 / 5));

      const forward = await walk(listing, 'forward');
      expectWalk(forward, expected, 'forward');
      const backward = await walk(listing, 'backward');
      expectWalk(backward, [...forward.ids].reverse(), 'backward');
    },
    WALK_TIMEOUT,
  );
});
