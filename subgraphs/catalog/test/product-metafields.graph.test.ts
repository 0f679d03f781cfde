// Products' custom fields in the catalog: filtering a listing by a value (canonical, through the
// index), only on fields the caller may see and on types a filter can compare.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { defineMetafield, setMetafields } from '@commerce/testkit/metafield-kit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(() => graph.close());

const FILTERED = `query ($metafield: MetafieldFilter!) {
  store { products(first: 10, filter: { metafield: $metafield }, sortKey: TITLE) {
    nodes { title metafield(namespace: "specs", key: "material") { value } }
  } }
}`;

async function titles(store: TestStore, metafield: Record<string, string>, asStaff: boolean): Promise<string[]> {
  const options = asStaff ? { token: store.owner.accessToken, store: store.slug } : { store: store.slug };
  const data = await graph.client.data(FILTERED, { metafield }, options);
  return data.store.products.nodes.map((node: { title: string }) => node.title);
}

describe('Store.products(filter: { metafield })', () => {
  it('keeps the products whose value matches, compared in canonical form', async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'material',
      type: 'SINGLE_LINE_TEXT',
    });
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'weight',
      type: 'DECIMAL',
    });
    const linen = await createProduct(graph.client, store, { title: 'A linen shirt' });
    const wool = await createProduct(graph.client, store, { title: 'B wool coat' });
    const other = await createProduct(graph.client, store, { title: 'C linen trousers' });
    const set = await setMetafields(graph.client, store, [
      { ownerId: linen.id, namespace: 'specs', key: 'material', value: 'Linen' },
      { ownerId: wool.id, namespace: 'specs', key: 'material', value: 'Wool' },
      { ownerId: other.id, namespace: 'specs', key: 'material', value: 'Linen' },
      { ownerId: linen.id, namespace: 'specs', key: 'weight', value: '0.25' },
      { ownerId: wool.id, namespace: 'specs', key: 'weight', value: '1.2' },
    ]);
    expect(set.userErrors).toEqual([]);

    expect(await titles(store, { namespace: 'specs', key: 'material', value: 'Linen' }, false)).toEqual([
      'A linen shirt',
      'C linen trousers',
    ]);
    const data = await graph.client.data(
      FILTERED,
      { metafield: { namespace: 'specs', key: 'material', value: 'Wool' } },
      { store: store.slug },
    );
    expect(data.store.products.nodes).toEqual([{ title: 'B wool coat', metafield: { value: 'Wool' } }]);
    // "1.20" is the decimal 1.2 as stored.
    expect(await titles(store, { namespace: 'specs', key: 'weight', value: '1.20' }, false)).toEqual(['B wool coat']);
    expect(await titles(store, { namespace: 'specs', key: 'material', value: 'Silk' }, false)).toEqual([]);
  });

  it('refuses fields the caller cannot see and types a filter cannot compare', async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'internal',
      key: 'supplier',
      type: 'SINGLE_LINE_TEXT',
      visibleToStorefront: false,
    });
    await defineMetafield(graph.client, store, { ownerType: 'PRODUCT', namespace: 'specs', key: 'care', type: 'JSON' });
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'colours',
      type: 'SINGLE_LINE_TEXT',
      list: true,
    });
    const product = await createProduct(graph.client, store, { title: 'Supplied' });
    await setMetafields(graph.client, store, [
      { ownerId: product.id, namespace: 'internal', key: 'supplier', value: 'Acme' },
    ]);
    const filter = { namespace: 'internal', key: 'supplier', value: 'Acme' };
    // Staff may filter on a hidden field; a storefront may not learn of it.
    expect(await titles(store, filter, true)).toEqual(['Supplied']);
    const hidden = await graph.client.execute(FILTERED, { metafield: filter }, { store: store.slug });
    expect(errorCodes(hidden)).toEqual(['BAD_USER_INPUT']);
    const json = await graph.client.execute(
      FILTERED,
      { metafield: { namespace: 'specs', key: 'care', value: '{}' } },
      { store: store.slug },
    );
    expect(errorCodes(json)).toEqual(['BAD_USER_INPUT']);
    const list = await graph.client.execute(
      FILTERED,
      { metafield: { namespace: 'specs', key: 'colours', value: 'Red' } },
      { store: store.slug },
    );
    expect(errorCodes(list)).toEqual(['BAD_USER_INPUT']);
    const unknown = await graph.client.execute(
      FILTERED,
      { metafield: { namespace: 'specs', key: 'nothing', value: 'x' } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
  });

  it('is served by the index that leads with the store', async () => {
    const owner = ownerPrisma();
    try {
      // The filter's subquery, as the listing sends it; sequential scans off so that the plan shows
      // whether the index can answer it at all (tiny test tables would be scanned either way).
      const plan = await owner.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
        return tx.$queryRaw<{ 'QUERY PLAN': string }[]>`
          EXPLAIN SELECT 1 FROM "Metafield" mv
          WHERE mv."storeId" = gen_random_uuid() AND mv."definitionId" = gen_random_uuid()
            AND mv."searchValue" = 'Linen' AND mv."ownerId" = gen_random_uuid()`;
      });
      expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
        'Metafield_storeId_definitionId_searchValue_ownerId_idx',
      );
    } finally {
      await owner.$disconnect();
    }
  });
});
