import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, type StatementCounter } from '@commerce/database';
import {
  createStore,
  keyOf,
  ownerPrisma,
  QUIET_RELAY,
  signUpCustomer,
  startTestGraph,
  type TestCustomer,
  type TestGraph,
} from '@commerce/testkit';
import { insertProducts } from '@commerce/testkit/catalog-kit';
import { setWishlistsEnabled } from '@commerce/testkit/customer-kit';

let graph: TestGraph;
let counter: StatementCounter;
beforeAll(async () => {
  // Started inside the counter, so every statement the graph sends is recorded; the relay stays
  // quiet so that the statements after a request are the request's own.
  ({ result: graph, counter } = await countStatements(() => startTestGraph({ realtime: QUIET_RELAY })));
});
afterAll(() => graph.close());

const WISHLIST = `query ($first: Int) {
  currentCustomer {
    wishlist(first: $first) {
      totalCount
      nodes {
        id addedAt
        product { id title handle priceRange { minVariantPrice { amount currencyCode } } totalInventory }
        variant { id title price { amount currencyCode } inventory { available } }
      }
    }
  }
}`;

describe('SQL statements of a wishlist page through the gateway', () => {
  it('are as many for 24 items as for 3, a few per subgraph', async () => {
    const store = await createStore(graph.client);
    await setWishlistsEnabled(graph.client, store, true);
    const storeId = keyOf(store.id);
    const owner = ownerPrisma();
    const productIds = await insertProducts(
      owner,
      storeId,
      Array.from({ length: 24 }, (_, i) => ({ title: `Saved ${i}`, prices: ['5.00', '7.50'] })),
    );
    const variants = await owner.productVariant.findMany({
      where: { storeId, productId: { in: productIds } },
      orderBy: { position: 'asc' },
    });
    const save = async (customer: TestCustomer, count: number) => {
      const wishlistId = `w${keyOf(customer.id).replaceAll('-', '')}`.padEnd(43, 'x');
      await owner.wishlist.create({ data: { id: wishlistId, storeId, customerId: keyOf(customer.id) } });
      await owner.wishlistItem.createMany({
        data: productIds.slice(0, count).map((productId, i) => ({
          storeId,
          wishlistId,
          productId,
          // Every other item is a variant, so both kinds of reference are resolved.
          variantId: i % 2 === 0 ? null : (variants.find((variant) => variant.productId === productId)?.id ?? null),
        })),
      });
    };
    const few = await signUpCustomer(graph.client, store);
    const many = await signUpCustomer(graph.client, store);
    await save(few, 3);
    await save(many, 24);
    await owner.$disconnect();

    const read = async (customer: TestCustomer) => {
      const before = counter.statements.length;
      const data = await graph.client.data(WISHLIST, { first: 24 }, { token: customer.accessToken });
      return { nodes: data.currentCustomer.wishlist.nodes, statements: counter.statements.slice(before) };
    };
    await read(few); // warm-up: the first request of a graph loads what later ones reuse
    const small = await read(few);
    const large = await read(many);

    expect(small.nodes).toHaveLength(3);
    expect(large.nodes).toHaveLength(24);
    expect(large.nodes.filter((node: { variant: unknown }) => node.variant !== null)).toHaveLength(12);
    expect(large.statements.length).toBe(small.statements.length);
    // Besides each transaction's scope and COMMIT: the customer subgraph reads the customer, the
    // page and its totalCount; the catalog reads the products, the variants, the products'
    // variants (prices), the variants' products and the stock levels, each once for all items.
    const work = large.statements.filter((sql) => !/^(SELECT app_set_scope|COMMIT)/.test(sql.trim()));
    const customerSubgraph = work.filter((sql) => /"(Customer|WishlistItem)"/.test(sql));
    expect(customerSubgraph).toHaveLength(3);
    expect(work.length - customerSubgraph.length).toBe(5);
  });
});
