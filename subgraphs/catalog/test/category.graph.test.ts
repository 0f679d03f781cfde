import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import { createStore, errorCodes, ownerPrisma, startTestGraph, type TestGraph, type TestStore } from '@commerce/testkit';
import { addStaffMember, CATEGORY_CREATE, createCategory } from './catalog-kit.js';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

async function categoryCreate(store: TestStore, input: Record<string, unknown>) {
  const data = await graph.client.data(CATEGORY_CREATE, { input }, { token: store.owner.accessToken, store: store.slug });
  const payload = data.categoryCreate as { category: Record<string, unknown> | null; userErrors: { field: string[] | null; code: string }[] };
  return { ...payload, userErrors: payload.userErrors.map(({ field, code }) => ({ field, code })) };
}

describe('categoryCreate', () => {
  it('creates a category under a parent, with a handle made from its name', async () => {
    const store = await createStore(graph.client);
    const clothing = await createCategory(graph.client, store, { name: 'Clothing' });
    const payload = await categoryCreate(store, { name: 'T-Shirts & Tops', description: 'Cotton.', parentId: clothing.id });
    expect(payload).toEqual({
      category: { id: expect.any(String), name: 'T-Shirts & Tops', handle: 't-shirts-tops', description: 'Cotton.', parent: { id: clothing.id, name: 'Clothing' } },
      userErrors: [],
    });
  });

  it('numbers clashing generated handles, and refuses a taken or malformed explicit one', async () => {
    const store = await createStore(graph.client);
    expect((await createCategory(graph.client, store, { name: 'Sale' })).handle).toBe('sale');
    expect((await createCategory(graph.client, store, { name: 'SALE!' })).handle).toBe('sale-2');
    expect((await categoryCreate(store, { name: 'Other', handle: 'sale' })).userErrors).toEqual([{ field: ['input', 'handle'], code: 'TAKEN' }]);
    expect((await categoryCreate(store, { name: 'Other', handle: 'Sale Now' })).userErrors).toEqual([{ field: ['input', 'handle'], code: 'INVALID' }]);
  });

  it("a blank name is BLANK, and another store's parent NOT_FOUND", async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const foreign = await createCategory(graph.client, other);
    expect((await categoryCreate(store, { name: ' ' })).userErrors).toEqual([{ field: ['input', 'name'], code: 'BLANK' }]);
    expect((await categoryCreate(store, { name: 'Child', parentId: foreign.id })).userErrors).toEqual([{ field: ['input', 'parentId'], code: 'NOT_FOUND' }]);
  });

  it('STAFF may not create categories (FORBIDDEN) and anonymous callers are UNAUTHENTICATED', async () => {
    const store = await createStore(graph.client);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(errorCodes(await graph.client.execute(CATEGORY_CREATE, { input: { name: 'x' } }, { token: staff.accessToken, store: store.slug }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute(CATEGORY_CREATE, { input: { name: 'x' } }, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
  });
});

interface CategoryPage {
  nodes: { name: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

describe('Store.categories', () => {
  it('lists the store\'s categories in position order, page by page, with totalCount', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    await createCategory(graph.client, other, { name: 'Foreign' });
    const names = ['Zebra', 'Apple', 'Mango', 'Kiwi', 'Banana'];
    for (const name of names) await createCategory(graph.client, store, { name });
    const query = `query ($after: String) { store { categories(first: 2, after: $after) {
      nodes { name } pageInfo { hasNextPage endCursor } totalCount
    } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: { store: { categories: CategoryPage } } = await graph.client.data(query, { after }, { store: store.slug });
      const page = data.store.categories;
      expect(page.totalCount).toBe(5);
      seen.push(...page.nodes.map((node) => node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Creation order: each new category goes to the end.
    expect(seen).toEqual(names);
  });

  it('node(id:) resolves a category with its parent', async () => {
    const store = await createStore(graph.client);
    const parent = await createCategory(graph.client, store, { name: 'Home' });
    const child = await createCategory(graph.client, store, { name: 'Kitchen', parentId: parent.id });
    const data = await graph.client.data(`query ($id: ID!) { node(id: $id) { id ... on Category { name parent { name parent { id } } } } }`, { id: child.id }, { store: store.slug });
    expect(data.node).toEqual({ id: child.id, name: 'Kitchen', parent: { name: 'Home', parent: null } });
  });
});
