import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  asOwner,
  CATEGORY_CREATE,
  CATEGORY_DELETE,
  CATEGORY_UPDATE,
  createCategory,
} from '@commerce/testkit/catalog-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

async function categoryCreate(store: TestStore, input: Record<string, unknown>) {
  const data = await graph.client.data(
    CATEGORY_CREATE,
    { input },
    { token: store.owner.accessToken, store: store.slug },
  );
  const payload = data.categoryCreate as {
    category: Record<string, unknown> | null;
    userErrors: { field: string[] | null; code: string }[];
  };
  return { ...payload, userErrors: payload.userErrors.map(({ field, code }) => ({ field, code })) };
}

describe('categoryCreate', () => {
  it('creates a category under a parent, with a handle made from its name', async () => {
    const store = await createStore(graph.client);
    const clothing = await createCategory(graph.client, store, { name: 'Clothing' });
    const payload = await categoryCreate(store, {
      name: 'T-Shirts & Tops',
      description: 'Cotton.',
      parentId: clothing.id,
    });
    expect(payload).toEqual({
      category: {
        id: expect.any(String),
        name: 'T-Shirts & Tops',
        handle: 't-shirts-tops',
        description: 'Cotton.',
        parent: { id: clothing.id, name: 'Clothing' },
      },
      userErrors: [],
    });
  });

  it('numbers clashing generated handles, and refuses a taken or malformed explicit one', async () => {
    const store = await createStore(graph.client);
    expect((await createCategory(graph.client, store, { name: 'Sale' })).handle).toBe('sale');
    expect((await createCategory(graph.client, store, { name: 'SALE!' })).handle).toBe('sale-2');
    expect((await categoryCreate(store, { name: 'Other', handle: 'sale' })).userErrors).toEqual([
      { field: ['input', 'handle'], code: 'TAKEN' },
    ]);
    expect((await categoryCreate(store, { name: 'Other', handle: 'Sale Now' })).userErrors).toEqual([
      { field: ['input', 'handle'], code: 'INVALID' },
    ]);
  });

  it("a blank name is BLANK, and another store's parent NOT_FOUND", async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const foreign = await createCategory(graph.client, other);
    expect((await categoryCreate(store, { name: ' ' })).userErrors).toEqual([
      { field: ['input', 'name'], code: 'BLANK' },
    ]);
    expect((await categoryCreate(store, { name: 'Child', parentId: foreign.id })).userErrors).toEqual([
      { field: ['input', 'parentId'], code: 'NOT_FOUND' },
    ]);
  });

  it('STAFF may not create categories (FORBIDDEN) and anonymous callers are UNAUTHENTICATED', async () => {
    const store = await createStore(graph.client);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(
      errorCodes(
        await graph.client.execute(
          CATEGORY_CREATE,
          { input: { name: 'x' } },
          { token: staff.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(await graph.client.execute(CATEGORY_CREATE, { input: { name: 'x' } }, { store: store.slug })),
    ).toEqual(['UNAUTHENTICATED']);
  });
});

interface CategoryPage {
  nodes: { name: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

describe('Store.categories', () => {
  it("lists the store's categories in position order, page by page, with totalCount", async () => {
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
      const data: { store: { categories: CategoryPage } } = await graph.client.data(
        query,
        { after },
        { store: store.slug },
      );
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
    const data = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { id ... on Category { name parent { name parent { id } } } } }`,
      { id: child.id },
      { store: store.slug },
    );
    expect(data.node).toEqual({ id: child.id, name: 'Kitchen', parent: { name: 'Home', parent: null } });
  });
});

async function categoryUpdate(store: TestStore, input: Record<string, unknown>) {
  const data = await graph.client.data(CATEGORY_UPDATE, { input }, asOwner(store));
  const payload = data.categoryUpdate as {
    category: Record<string, any> | null;
    userErrors: { field: string[] | null; code: string }[];
  };
  return { ...payload, userErrors: payload.userErrors.map(({ field, code }) => ({ field, code })) };
}

const TREE = `query ($id: ID!) { node(id: $id) { ... on Category { name parent { name } children { name children { name } } } } }`;

describe('categoryUpdate', () => {
  it('renames, re-describes and moves a category; parentId null moves it to the top', async () => {
    const store = await createStore(graph.client);
    const home = await createCategory(graph.client, store, { name: 'Home' });
    const garden = await createCategory(graph.client, store, { name: 'Garden' });
    const tools = await createCategory(graph.client, store, { name: 'Tools', parentId: home.id });
    const moved = await categoryUpdate(store, {
      id: tools.id,
      name: 'Garden tools',
      handle: 'garden-tools',
      description: 'Spades.',
      parentId: garden.id,
    });
    expect(moved).toEqual({
      category: {
        id: tools.id,
        name: 'Garden tools',
        handle: 'garden-tools',
        description: 'Spades.',
        parent: { id: garden.id },
      },
      userErrors: [],
    });
    expect((await graph.client.data(TREE, { id: garden.id }, { store: store.slug })).node).toEqual({
      name: 'Garden',
      parent: null,
      children: [{ name: 'Garden tools', children: [] }],
    });
    expect((await graph.client.data(TREE, { id: home.id }, { store: store.slug })).node.children).toEqual([]);
    // Fields left out stay; null parent is the top.
    const top = await categoryUpdate(store, { id: tools.id, parentId: null });
    expect(top.category).toMatchObject({ name: 'Garden tools', handle: 'garden-tools', parent: null });
  });

  it('refuses a move into the category itself or below it (CYCLE), and a taken or malformed handle', async () => {
    const store = await createStore(graph.client);
    const a = await createCategory(graph.client, store, { name: 'A' });
    const b = await createCategory(graph.client, store, { name: 'B', parentId: a.id });
    const c = await createCategory(graph.client, store, { name: 'C', parentId: b.id });
    for (const parentId of [a.id, b.id, c.id]) {
      expect((await categoryUpdate(store, { id: a.id, parentId })).userErrors).toEqual([
        { field: ['input', 'parentId'], code: 'CYCLE' },
      ]);
    }
    expect((await categoryUpdate(store, { id: c.id, handle: 'a' })).userErrors).toEqual([
      { field: ['input', 'handle'], code: 'TAKEN' },
    ]);
    expect((await categoryUpdate(store, { id: c.id, handle: 'Not ok', name: '' })).userErrors).toEqual([
      { field: ['input', 'name'], code: 'BLANK' },
      { field: ['input', 'handle'], code: 'INVALID' },
    ]);
  });

  it('concurrent moves of two categories under each other never make a cycle', async () => {
    const store = await createStore(graph.client);
    const x = await createCategory(graph.client, store, { name: 'X' });
    const y = await createCategory(graph.client, store, { name: 'Y' });
    const [first, second] = await Promise.all([
      categoryUpdate(store, { id: x.id, parentId: y.id }),
      categoryUpdate(store, { id: y.id, parentId: x.id }),
    ]);
    expect([first.userErrors, second.userErrors].map((errors) => errors.map((error) => error.code)).sort()).toEqual([
      [],
      ['CYCLE'],
    ]);
  });

  it("another store's category is NOT_FOUND, as target and as parent; STAFF may not change categories", async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const mine = await createCategory(graph.client, store);
    const theirs = await createCategory(graph.client, other);
    expect(
      errorCodes(await graph.client.execute(CATEGORY_UPDATE, { input: { id: theirs.id, name: 'x' } }, asOwner(store))),
    ).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graph.client.execute(CATEGORY_DELETE, { id: theirs.id }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);
    expect((await categoryUpdate(store, { id: mine.id, parentId: theirs.id })).userErrors).toEqual([
      { field: ['input', 'parentId'], code: 'NOT_FOUND' },
    ]);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(
      errorCodes(
        await graph.client.execute(
          CATEGORY_UPDATE,
          { input: { id: mine.id, name: 'x' } },
          { token: staff.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await graph.client.execute(CATEGORY_DELETE, { id: mine.id }, { token: staff.accessToken, store: store.slug }),
      ),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('categoryDelete', () => {
  it('moves the subcategories up to its parent and takes the products out of it', async () => {
    const store = await createStore(graph.client);
    const root = await createCategory(graph.client, store, { name: 'Root' });
    const middle = await createCategory(graph.client, store, { name: 'Middle', parentId: root.id });
    await createCategory(graph.client, store, { name: 'Leaf 1', parentId: middle.id });
    await createCategory(graph.client, store, { name: 'Leaf 2', parentId: middle.id });
    const product = await createProduct(graph.client, store, { categoryIds: [middle.id, root.id] });
    const deleted = await graph.client.data(CATEGORY_DELETE, { id: middle.id }, asOwner(store));
    expect(deleted.categoryDelete).toEqual({ deletedCategoryId: middle.id, userErrors: [] });
    expect((await graph.client.data(TREE, { id: root.id }, { store: store.slug })).node.children).toEqual([
      { name: 'Leaf 1', children: [] },
      { name: 'Leaf 2', children: [] },
    ]);
    const categories = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { categories { name } } } }`,
      { id: product.id },
      { store: store.slug },
    );
    expect(categories.node.categories).toEqual([{ name: 'Root' }]);
    expect(
      (
        await graph.client.data(
          `query ($id: ID!) { node(id: $id) { ... on Category { name } } }`,
          { id: middle.id },
          { store: store.slug },
        )
      ).node,
    ).toBeNull();
  });
});

describe('Category.products', () => {
  it("lists the category's products the caller may see, with the listing's filters, sort keys and paging", async () => {
    const store = await createStore(graph.client);
    const lamps = await createCategory(graph.client, store, { name: 'Lamps' });
    await createProduct(graph.client, store, {
      title: 'Desk lamp',
      categoryIds: [lamps.id],
      variants: [{ price: '30.00' }],
    });
    await createProduct(graph.client, store, {
      title: 'Floor lamp',
      categoryIds: [lamps.id],
      variants: [{ price: '80.00' }],
    });
    await createProduct(graph.client, store, { title: 'Draft lamp', status: 'DRAFT', categoryIds: [lamps.id] });
    await createProduct(graph.client, store, { title: 'Chair' });
    const query = `query ($id: ID!, $filter: ProductFilter, $after: String) { node(id: $id) { ... on Category {
      products(first: 1, after: $after, sortKey: PRICE, reverse: true, filter: $filter) { nodes { title } pageInfo { hasNextPage endCursor } totalCount }
    } } }`;
    const page1 = (await graph.client.data(query, { id: lamps.id }, { store: store.slug })).node.products;
    expect(page1).toMatchObject({ nodes: [{ title: 'Floor lamp' }], totalCount: 2, pageInfo: { hasNextPage: true } });
    const page2 = (
      await graph.client.data(query, { id: lamps.id, after: page1.pageInfo.endCursor }, { store: store.slug })
    ).node.products;
    expect(page2).toMatchObject({ nodes: [{ title: 'Desk lamp' }], pageInfo: { hasNextPage: false } });
    expect(
      (await graph.client.data(query, { id: lamps.id, filter: { query: 'floor' } }, { store: store.slug })).node
        .products.nodes,
    ).toEqual([{ title: 'Floor lamp' }]);
    expect((await graph.client.data(query, { id: lamps.id }, asOwner(store))).node.products.totalCount).toBe(3);
  });
});
