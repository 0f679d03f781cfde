// Custom fields (metafields) through the whole graph: staff define typed fields, metafieldsSet
// writes values of any owner all or none, and each owner's subgraph shows them to whom may see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  insertOrder,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type RequestOptions,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { VARIANTS_DELETE } from '@commerce/testkit/catalog-kit';
import {
  defineMetafield,
  METAFIELD_DEFINITION_CREATE,
  METAFIELDS_DELETE,
  METAFIELDS_SET,
  setMetafields,
} from '@commerce/testkit/metafield-kit';

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

const asOwner = (store: TestStore): RequestOptions => ({ token: store.owner.accessToken, store: store.slug });
const fieldsOf = (payload: { userErrors: { field: string[]; code: string }[] }) =>
  payload.userErrors.map((error) => [error.field.join('.'), error.code]);

describe('defining custom fields', () => {
  it('stores the type, list flag and canonical validations, and refuses a second field with the same key', async () => {
    const store = await createStore(graph.client);
    const input = {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'weight',
      name: 'Weight (kg)',
      type: 'DECIMAL',
      validations: { min: '0.10', max: '50', required: true },
    };
    const created = await graph.client.data(METAFIELD_DEFINITION_CREATE, { input }, asOwner(store));
    expect(created.metafieldDefinitionCreate).toEqual({
      metafieldDefinition: {
        id: expect.any(String),
        ownerType: 'PRODUCT',
        namespace: 'specs',
        key: 'weight',
        name: 'Weight (kg)',
        type: 'DECIMAL',
        list: false,
        visibleToStorefront: false,
        validations: { required: true, min: '0.1', max: '50', choices: null, regex: null },
      },
      userErrors: [],
    });
    const again = await graph.client.data(METAFIELD_DEFINITION_CREATE, { input }, asOwner(store));
    expect(fieldsOf(again.metafieldDefinitionCreate)).toEqual([['input.key', 'TAKEN']]);
    // The same key for another kind of owner is another field.
    await defineMetafield(graph.client, store, { ...input, ownerType: 'PRODUCT_VARIANT' });
  });

  it('refuses handles, and validations that do not suit the type, with the field at fault', async () => {
    const store = await createStore(graph.client);
    const refused = await graph.client.data(
      METAFIELD_DEFINITION_CREATE,
      {
        input: {
          ownerType: 'CUSTOMER',
          namespace: 'bad space',
          key: 'ok_key',
          name: 'Flag',
          type: 'BOOLEAN',
          validations: { min: '1', regex: 'x' },
        },
      },
      asOwner(store),
    );
    expect(fieldsOf(refused.metafieldDefinitionCreate)).toEqual([
      ['input.namespace', 'INVALID'],
      ['input.validations.min', 'INVALID'],
      ['input.validations.regex', 'INVALID'],
    ]);
  });

  it('needs MANAGE_STORE', async () => {
    const store = await createStore(graph.client);
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const input = { ownerType: 'STORE', namespace: 'brand', key: 'motto', name: 'Motto', type: 'SINGLE_LINE_TEXT' };
    const asManager = await graph.client.execute(
      METAFIELD_DEFINITION_CREATE,
      { input },
      { token: manager.accessToken, store: store.slug },
    );
    expect(errorCodes(asManager)).toEqual(['FORBIDDEN']);
    const customer = await signUpCustomer(graph.client, store);
    const asCustomer = await graph.client.execute(
      METAFIELD_DEFINITION_CREATE,
      { input },
      { token: customer.accessToken },
    );
    expect(errorCodes(asCustomer)).toEqual(['UNAUTHENTICATED']);
  });
});

/** A store with a visible and a hidden field for each kind of owner, a product, a customer and an order. */
async function furnishedStore() {
  const store = await createStore(graph.client);
  for (const ownerType of ['PRODUCT', 'PRODUCT_VARIANT', 'CUSTOMER', 'ORDER', 'STORE']) {
    await defineMetafield(graph.client, store, {
      ownerType,
      namespace: 'shown',
      key: 'note',
      type: 'SINGLE_LINE_TEXT',
    });
    await defineMetafield(graph.client, store, {
      ownerType,
      namespace: 'hidden',
      key: 'note',
      type: 'SINGLE_LINE_TEXT',
      visibleToStorefront: false,
    });
  }
  const product = await createProduct(graph.client, store);
  const customer = await signUpCustomer(graph.client, store);
  const order = await insertOrder(owner, store);
  const variantId = product.variants[0]?.id ?? '';
  return { store, product, variantId, customer, order };
}

const READ_ALL = `query ($product: ID!, $variant: ID!, $customer: ID!, $order: ID!) {
  store { metafield(namespace: "shown", key: "note") { value } metafields(first: 10) { nodes { namespace key value } } }
  product: node(id: $product) { ... on Product { metafields(first: 10) { nodes { namespace value } } } }
  variant: node(id: $variant) { ... on ProductVariant { metafields(first: 10) { nodes { namespace value } } } }
  customer: node(id: $customer) { ... on Customer { metafields(first: 10) { nodes { namespace value } } } }
  order: node(id: $order) { ... on Order { metafields(first: 10) { nodes { namespace value } } } }
}`;

describe('metafieldsSet', () => {
  it('writes values of every kind of owner in one call, and each owner shows its own', async () => {
    const { store, product, variantId, customer, order } = await furnishedStore();
    const owners = { product: product.id, variant: variantId, customer: customer.id, order: order.id, store: store.id };
    const entries = Object.entries(owners).flatMap(([name, ownerId]) => [
      { ownerId, namespace: 'shown', key: 'note', value: `${name} shown` },
      { ownerId, namespace: 'hidden', key: 'note', value: `${name} hidden` },
    ]);
    const set = await setMetafields(graph.client, store, entries);
    expect(set.userErrors).toEqual([]);
    expect(set.metafields?.map((metafield) => metafield.value)).toEqual(entries.map((entry) => entry.value));

    const ids = { product: product.id, variant: variantId, customer: customer.id, order: order.id };
    const staff = await graph.client.data(READ_ALL, ids, asOwner(store));
    expect(staff.store.metafield).toEqual({ value: 'store shown' });
    expect(staff.store.metafields.nodes).toEqual([
      { namespace: 'hidden', key: 'note', value: 'store hidden' },
      { namespace: 'shown', key: 'note', value: 'store shown' },
    ]);
    for (const name of ['product', 'variant', 'customer', 'order'] as const) {
      expect(staff[name].metafields.nodes).toEqual([
        { namespace: 'hidden', value: `${name} hidden` },
        { namespace: 'shown', value: `${name} shown` },
      ]);
    }

    // A storefront sees only fields visible to it, and so does the customer on their own record.
    const storefront = await graph.client.data(
      `query ($product: ID!) {
        store { metafield(namespace: "hidden", key: "note") { value } metafields(first: 10) { nodes { value } } }
        product: node(id: $product) { ... on Product { metafields(first: 10) { nodes { value } } hidden: metafield(namespace: "hidden", key: "note") { value } } }
      }`,
      { product: product.id },
      { store: store.slug },
    );
    expect(storefront.store).toEqual({ metafield: null, metafields: { nodes: [{ value: 'store shown' }] } });
    expect(storefront.product).toEqual({ metafields: { nodes: [{ value: 'product shown' }] }, hidden: null });
    const mine = await graph.client.data(
      `{ currentCustomer { metafields(first: 10) { nodes { value } } } }`,
      {},
      { token: customer.accessToken },
    );
    expect(mine.currentCustomer.metafields.nodes).toEqual([{ value: 'customer shown' }]);
  });

  it('replaces a value set again', async () => {
    const { store, product } = await furnishedStore();
    await setMetafields(graph.client, store, [{ ownerId: product.id, namespace: 'shown', key: 'note', value: 'one' }]);
    await setMetafields(graph.client, store, [{ ownerId: product.id, namespace: 'shown', key: 'note', value: 'two' }]);
    const read = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { metafields(first: 5) { totalCount nodes { value } } } } }`,
      { id: product.id },
      asOwner(store),
    );
    expect(read.node.metafields).toEqual({ totalCount: 1, nodes: [{ value: 'two' }] });
  });

  it('writes nothing when one entry is wrong, and names its index', async () => {
    const { store, product } = await furnishedStore();
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'pieces',
      type: 'INTEGER',
    });
    const entries = [
      { ownerId: product.id, namespace: 'shown', key: 'note', value: 'fine' },
      { ownerId: product.id, namespace: 'hidden', key: 'note', value: 'fine too' },
      { ownerId: store.id, namespace: 'shown', key: 'note', value: 'also fine' },
      { ownerId: product.id, namespace: 'specs', key: 'pieces', value: 'four' },
    ];
    const set = await setMetafields(graph.client, store, entries);
    expect(set.metafields).toBeNull();
    expect(fieldsOf(set)).toEqual([['metafields.3.value', 'INVALID']]);
    const read = await graph.client.data(`{ store { metafields(first: 5) { totalCount } } }`, {}, asOwner(store));
    expect(read.store.metafields.totalCount).toBe(0);
  });

  it('refuses unknown fields, fields of another owner type, owners and references the store lacks, duplicates', async () => {
    const { store, product, customer } = await furnishedStore();
    const other = await furnishedStore();
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'links',
      key: 'related',
      type: 'PRODUCT_REFERENCE',
      list: true,
    });
    const set = await setMetafields(graph.client, store, [
      { ownerId: product.id, namespace: 'nowhere', key: 'note', value: 'x' },
      { ownerId: customer.id, namespace: 'links', key: 'related', value: JSON.stringify([product.id]) },
      { ownerId: other.product.id, namespace: 'shown', key: 'note', value: 'x' },
      { ownerId: product.id, namespace: 'links', key: 'related', value: JSON.stringify([other.product.id]) },
      { ownerId: product.id, namespace: 'shown', key: 'note', value: 'x' },
      { ownerId: product.id, namespace: 'shown', key: 'note', value: 'y' },
      { ownerId: 'not-an-id', namespace: 'shown', key: 'note', value: 'x' },
    ]);
    expect(fieldsOf(set)).toEqual([
      ['metafields.0.key', 'NOT_FOUND'],
      ['metafields.1.ownerId', 'OWNER_TYPE_MISMATCH'],
      ['metafields.2.ownerId', 'OWNER_NOT_FOUND'],
      ['metafields.3.value', 'REFERENCE_NOT_FOUND'],
      ['metafields.5', 'DUPLICATE'],
      ['metafields.6.ownerId', 'INVALID'],
    ]);
    // A reference to the store's own product is taken.
    const related = await setMetafields(graph.client, store, [
      { ownerId: product.id, namespace: 'links', key: 'related', value: JSON.stringify([product.id]) },
    ]);
    expect(related.metafields).toEqual([expect.objectContaining({ value: JSON.stringify([product.id]), list: true })]);
  });

  it('takes at most 25 values per call', async () => {
    const { store } = await furnishedStore();
    const entries = Array.from({ length: 26 }, () => ({
      ownerId: store.id,
      namespace: 'shown',
      key: 'note',
      value: unique('v'),
    }));
    const set = await setMetafields(graph.client, store, entries);
    expect(fieldsOf(set)).toEqual([['metafields', 'TOO_MANY']]);
  });

  it('needs the permission that manages each owner it names', async () => {
    const { store, product, customer, order } = await furnishedStore();
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const as = (seller: { accessToken: string }) => ({ token: seller.accessToken, store: store.slug });
    const entry = (ownerId: string) => ({ ownerId, namespace: 'shown', key: 'note', value: 'x' });
    // STAFF manage orders only; MANAGERs products and orders, not customers or the store.
    const cases: [RequestOptions, string, string][] = [
      [as(staff), order.id, 'OK'],
      [as(staff), product.id, 'FORBIDDEN'],
      [as(manager), product.id, 'OK'],
      [as(manager), customer.id, 'FORBIDDEN'],
      [as(manager), store.id, 'FORBIDDEN'],
      [{ token: customer.accessToken }, customer.id, 'UNAUTHENTICATED'],
      [{ store: store.slug }, product.id, 'UNAUTHENTICATED'],
    ];
    for (const [options, ownerId, outcome] of cases) {
      const response = await graph.client.execute(METAFIELDS_SET, { metafields: [entry(ownerId)] }, options);
      if (outcome === 'OK') expect(response.data?.metafieldsSet.userErrors).toEqual([]);
      else expect(errorCodes(response)).toEqual([outcome]);
    }
    // One call naming a product and a customer needs both permissions.
    const mixed = await graph.client.execute(
      METAFIELDS_SET,
      { metafields: [entry(product.id), entry(customer.id)] },
      as(manager),
    );
    expect(errorCodes(mixed)).toEqual(['FORBIDDEN']);
  });
});

describe('metafieldsDelete', () => {
  it('removes values, reports those that were set, and refuses required fields', async () => {
    const { store, product } = await furnishedStore();
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'sku_family',
      type: 'SINGLE_LINE_TEXT',
      validations: { required: true },
    });
    await setMetafields(graph.client, store, [
      { ownerId: product.id, namespace: 'shown', key: 'note', value: 'bye' },
      { ownerId: product.id, namespace: 'specs', key: 'sku_family', value: 'TEE' },
    ]);
    const refused = await graph.client.data(
      METAFIELDS_DELETE,
      {
        metafields: [
          { ownerId: product.id, namespace: 'shown', key: 'note' },
          { ownerId: product.id, namespace: 'specs', key: 'sku_family' },
        ],
      },
      asOwner(store),
    );
    expect(fieldsOf(refused.metafieldsDelete)).toEqual([['metafields.1.key', 'REQUIRED']]);
    const deleted = await graph.client.data(
      METAFIELDS_DELETE,
      {
        metafields: [
          { ownerId: product.id, namespace: 'shown', key: 'note' },
          { ownerId: product.id, namespace: 'hidden', key: 'note' },
        ],
      },
      asOwner(store),
    );
    expect(deleted.metafieldsDelete).toEqual({
      deletedMetafields: [{ ownerId: product.id, namespace: 'shown', key: 'note' }],
      userErrors: [],
    });
    const read = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { metafields(first: 5) { nodes { key value } } } } }`,
      { id: product.id },
      asOwner(store),
    );
    expect(read.node.metafields.nodes).toEqual([{ key: 'sku_family', value: 'TEE' }]);
  });
});

describe('values of owners that go away', () => {
  it('leave with a deleted variant and with a deleted customer account', async () => {
    const { store, customer } = await furnishedStore();
    const product = await createProduct(graph.client, store, {
      options: [{ name: 'Size', values: ['S', 'M'] }],
      variants: [
        { price: '1.00', options: [{ name: 'Size', value: 'S' }] },
        { price: '2.00', options: [{ name: 'Size', value: 'M' }] },
      ],
    });
    const [kept, doomed] = product.variants.map((variant) => variant.id);
    const set = await setMetafields(graph.client, store, [
      { ownerId: kept ?? '', namespace: 'shown', key: 'note', value: 'kept' },
      { ownerId: doomed ?? '', namespace: 'shown', key: 'note', value: 'doomed' },
      { ownerId: customer.id, namespace: 'hidden', key: 'note', value: 'prefers phone calls' },
    ]);
    expect(set.userErrors).toEqual([]);
    const deleted = await graph.client.data(
      VARIANTS_DELETE,
      { input: { productId: product.id, variantIds: [doomed] } },
      asOwner(store),
    );
    expect(deleted.productVariantsDelete.userErrors).toEqual([]);
    const gone = await graph.client.data(
      `mutation ($input: CustomerDeleteInput!) { customerDelete(input: $input) { userErrors { field code } } }`,
      { input: { password: customer.password } },
      { token: customer.accessToken },
    );
    expect(gone.customerDelete.userErrors).toEqual([]);
    const left = await owner.metafield.findMany({
      where: { value: { in: ['kept', 'doomed', 'prefers phone calls'] } },
    });
    expect(left.map((row) => row.value)).toEqual(['kept']);
  });
});

describe('Store.metafieldDefinitions', () => {
  it('lists every field for staff and the storefront-visible ones for others, oldest first', async () => {
    const { store } = await furnishedStore();
    const query = `{ store { metafieldDefinitions(ownerType: PRODUCT, first: 10) { totalCount nodes { namespace key visibleToStorefront } } } }`;
    const staff = await graph.client.data(query, {}, asOwner(store));
    expect(staff.store.metafieldDefinitions).toEqual({
      totalCount: 2,
      nodes: [
        { namespace: 'shown', key: 'note', visibleToStorefront: true },
        { namespace: 'hidden', key: 'note', visibleToStorefront: false },
      ],
    });
    const storefront = await graph.client.data(query, {}, { store: store.slug });
    expect(storefront.store.metafieldDefinitions).toEqual({
      totalCount: 1,
      nodes: [{ namespace: 'shown', key: 'note', visibleToStorefront: true }],
    });
  });
});

describe('custom fields across stores', () => {
  it("staff of store A cannot set or remove store B's values, in A or in B, and cannot read B's through A", async () => {
    const attacker = await furnishedStore();
    const victim = await furnishedStore();
    const victimValue = { ownerId: victim.product.id, namespace: 'hidden', key: 'note', value: 'theirs' };
    expect((await setMetafields(graph.client, victim.store, [victimValue])).userErrors).toEqual([]);

    const inOwnStore = await setMetafields(graph.client, attacker.store, [{ ...victimValue, value: 'mine' }]);
    expect(fieldsOf(inOwnStore)).toEqual([['metafields.0.ownerId', 'OWNER_NOT_FOUND']]);
    const identifier = { ownerId: victim.product.id, namespace: 'hidden', key: 'note' };
    const removed = await graph.client.data(METAFIELDS_DELETE, { metafields: [identifier] }, asOwner(attacker.store));
    expect(removed.metafieldsDelete).toEqual({ deletedMetafields: [], userErrors: [] });
    const inVictimStore = { token: attacker.store.owner.accessToken, store: victim.store.slug };
    for (const [document, variables] of [
      [METAFIELDS_SET, { metafields: [{ ...victimValue, value: 'mine' }] }],
      [METAFIELDS_DELETE, { metafields: [identifier] }],
      [
        METAFIELD_DEFINITION_CREATE,
        { input: { ownerType: 'PRODUCT', namespace: 'x', key: 'yz', name: 'X', type: 'BOOLEAN' } },
      ],
    ] as const) {
      expect(errorCodes(await graph.client.execute(document, variables, inVictimStore))).toEqual(['FORBIDDEN']);
    }
    const throughA = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { metafields(first: 5) { nodes { value } } } } }`,
      { id: victim.product.id },
      asOwner(attacker.store),
    );
    expect(throughA.node).toBeNull();
    const own = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { metafield(namespace: "hidden", key: "note") { value } } } }`,
      { id: victim.product.id },
      asOwner(victim.store),
    );
    expect(own.node.metafield).toEqual({ value: 'theirs' });
  });
});

describe('changing and deleting definitions', () => {
  it('shows values to the storefront once made visible, and deletes the values with the field', async () => {
    const { store, product } = await furnishedStore();
    const definition = await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'care',
      key: 'wash',
      type: 'SINGLE_LINE_TEXT',
      visibleToStorefront: false,
    });
    await setMetafields(graph.client, store, [{ ownerId: product.id, namespace: 'care', key: 'wash', value: '30 °C' }]);
    const read = async () => {
      const data = await graph.client.data(
        `query ($id: ID!) { node(id: $id) { ... on Product { metafield(namespace: "care", key: "wash") { value } } } }`,
        { id: product.id },
        { store: store.slug },
      );
      return data.node.metafield;
    };
    expect(await read()).toBeNull();
    const UPDATE = `mutation ($input: MetafieldDefinitionUpdateInput!) { metafieldDefinitionUpdate(input: $input) {
      metafieldDefinition { name type visibleToStorefront } userErrors { field code } } }`;
    const updated = await graph.client.data(
      UPDATE,
      { input: { id: definition.id, name: 'Washing', visibleToStorefront: true } },
      asOwner(store),
    );
    expect(updated.metafieldDefinitionUpdate).toEqual({
      metafieldDefinition: { name: 'Washing', type: 'SINGLE_LINE_TEXT', visibleToStorefront: true },
      userErrors: [],
    });
    expect(await read()).toEqual({ value: '30 °C' });

    const DELETE = `mutation ($input: MetafieldDefinitionDeleteInput!) { metafieldDefinitionDelete(input: $input) {
      deletedMetafieldDefinitionId userErrors { field code } } }`;
    const other = await createStore(graph.client);
    const elsewhere = await graph.client.execute(DELETE, { input: { id: definition.id } }, asOwner(other));
    expect(errorCodes(elsewhere)).toEqual(['NOT_FOUND']);
    const deleted = await graph.client.data(DELETE, { input: { id: definition.id } }, asOwner(store));
    expect(deleted.metafieldDefinitionDelete).toEqual({ deletedMetafieldDefinitionId: definition.id, userErrors: [] });
    expect(await read()).toBeNull();
    expect(await owner.metafield.count({ where: { value: '30 °C' } })).toBe(0);
  });
});
