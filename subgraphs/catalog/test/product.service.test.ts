// The product service's rules for handles and SKUs, called with a store owner's request context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '@commerce/graphql-kit';
import { createStore, requestContext, sharedTestGraph, unique, type SharedTestGraph } from '@commerce/testkit';
import { problem } from '@commerce/testkit/catalog-kit';
import type { ProductCreateInput } from '../src/__generated__/resolvers-types.js';
import { createProduct } from '../src/services/product.service.js';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(() => graph.close());

/** A store arranged through the API, and its owner's context. */
async function ownedStore(): Promise<RequestContext> {
  const store = await createStore(graph.client);
  return requestContext(graph.database, { token: store.owner.accessToken, store: store.slug });
}

function input(overrides: Partial<ProductCreateInput> = {}): ProductCreateInput {
  return { title: `Product ${unique('p')}`, status: 'ACTIVE', variants: [{ price: '10.00' }], ...overrides };
}

/** Creates a product that must be created, and returns its handle. */
async function handleOf(context: RequestContext, overrides: Partial<ProductCreateInput>): Promise<string> {
  const result = await createProduct(context, input(overrides));
  expect(result.userErrors).toEqual([]);
  return result.product?.handle ?? '';
}

/** The userErrors of an input that must be refused, as "field.path CODE". */
async function problems(context: RequestContext, overrides: Partial<ProductCreateInput>): Promise<string[]> {
  const result = await createProduct(context, input(overrides));
  expect(result.product).toBeNull();
  return result.userErrors.map(problem);
}

describe('product handles and SKUs', () => {
  it('generates handles from titles, lower-case ascii with hyphens, and numbers clashes -2, -3', async () => {
    const context = await ownedStore();
    const handles: string[] = [];
    for (const title of ['Crème Brûlée: 2 pcs!', 'Crème Brûlée: 2 pcs!', 'creme brulee 2 PCS', '日本茶'])
      handles.push(await handleOf(context, { title }));
    expect(handles).toEqual(['creme-brulee-2-pcs', 'creme-brulee-2-pcs-2', 'creme-brulee-2-pcs-3', 'product']);
  });

  it('concurrent products with the same title all get a handle of their own', async () => {
    const context = await ownedStore();
    const handles = await Promise.all(Array.from({ length: 5 }, () => handleOf(context, { title: 'Same Title' })));
    expect(new Set(handles).size).toBe(5);
  });

  it('an explicit handle that is taken is a TAKEN userError, and one in another store is free', async () => {
    const context = await ownedStore();
    await handleOf(context, { handle: 'blue-shirt' });
    expect(await problems(context, { handle: 'blue-shirt' })).toEqual(['input.handle TAKEN']);
    expect(await handleOf(await ownedStore(), { handle: 'blue-shirt' })).toBe('blue-shirt');
  });

  it('a SKU used by another product of the store is TAKEN; the same SKU in another store is fine', async () => {
    const context = await ownedStore();
    const sku = unique('SKU');
    await handleOf(context, { variants: [{ sku, price: '1.00' }] });
    expect(await problems(context, { variants: [{ sku, price: '2.00' }] })).toEqual(['input.variants.0.sku TAKEN']);
    await expect(handleOf(await ownedStore(), { variants: [{ sku, price: '2.00' }] })).resolves.toBeDefined();
  });
});
