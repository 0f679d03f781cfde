import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  signUpCustomer,
  type TestCustomer,
  type TestProduct,
  type TestStore,
  unique,
} from '@commerce/testkit';
import {
  LOG_IN,
  SIGN_UP,
  setWishlistsEnabled,
  STORE_FOLLOW,
  WISHLIST_ADD,
  WISHLIST_REMOVE,
} from '@commerce/testkit/customer-kit';
import { asOwner } from '@commerce/testkit/store-kit';

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

const MY_WISHLIST = `query ($first: Int, $after: String) {
  currentCustomer {
    wishlist(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id addedAt
        product { id title priceRange { minVariantPrice { amount currencyCode } } totalInventory }
        variant { id title price { amount currencyCode } inventory { available } }
      }
    }
  }
}`;
const GUEST_WISHLIST = `query ($token: String!) {
  guestWishlist(token: $token, first: 50) { totalCount nodes { id product { id } variant { id } } }
}`;

interface WishlistNode {
  id: string;
  product: { id: string; title: string; priceRange: { minVariantPrice: { amount: string } }; totalInventory: number };
  variant: { id: string; title: string; price: { amount: string }; inventory: { available: number } } | null;
}

/** A store with wishlists turned on and a product in two sizes (10.00 with 3 in stock, 12.00 with none). */
async function wishlistStore(): Promise<{ store: TestStore; shirt: TestProduct }> {
  const store = await createStore(graph.client);
  await setWishlistsEnabled(graph.client, store, true);
  const shirt = await createProduct(graph.client, store, {
    options: [{ name: 'Size', values: ['S', 'M'] }],
    variants: [
      { price: '10.00', options: [{ name: 'Size', value: 'S' }], inventoryQuantity: 3 },
      { price: '12.00', options: [{ name: 'Size', value: 'M' }], inventoryQuantity: 0 },
    ],
  });
  return { store, shirt };
}

async function add(
  store: TestStore,
  input: Record<string, unknown>,
  customer: TestCustomer | null,
): Promise<{ wishlistItem: { id: string } | null; guestWishlistToken: string | null; userErrors: { code: string }[] }> {
  const data = await graph.client.data(
    WISHLIST_ADD,
    { input },
    customer ? { token: customer.accessToken } : { store: store.slug },
  );
  return data.wishlistAdd;
}

async function myWishlist(customer: TestCustomer, first = 50): Promise<{ totalCount: number; nodes: WishlistNode[] }> {
  return (await graph.client.data(MY_WISHLIST, { first }, { token: customer.accessToken })).currentCustomer.wishlist;
}

function variant(product: TestProduct, index: number): string {
  const found = product.variants[index];
  if (!found) throw new Error(`no variant ${index}`);
  return found.id;
}

describe('a customer saving products', () => {
  it('sees saved products and variants newest first with their current price and stock', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const saved = await add(store, { productId: shirt.id }, customer);
    expect(saved.userErrors).toEqual([]);
    expect(saved.guestWishlistToken).toBeNull();
    await add(store, { productId: shirt.id, variantId: variant(shirt, 1) }, customer);

    // The catalog answers today's price and stock, not what they were when saved.
    await graph.client.data(
      `mutation ($input: ProductVariantsUpdateInput!) { productVariantsUpdate(input: $input) { userErrors { code } } }`,
      { input: { productId: shirt.id, variants: [{ id: variant(shirt, 1), price: '11.50' }] } },
      asOwner(store),
    );
    const wishlist = await myWishlist(customer);
    expect(wishlist.totalCount).toBe(2);
    expect(wishlist.nodes.map((node) => [node.product.id, node.variant?.id ?? null])).toEqual([
      [shirt.id, variant(shirt, 1)],
      [shirt.id, null],
    ]);
    expect(wishlist.nodes[0]?.variant).toMatchObject({ price: { amount: '11.50' }, inventory: { available: 0 } });
    expect(wishlist.nodes[1]?.product).toMatchObject({
      priceRange: { minVariantPrice: { amount: '10.00' } },
      totalInventory: 3,
    });
  });

  it('keeps one item when the same product or variant is saved again, even at once, and announces it once', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const first = await add(store, { productId: shirt.id, variantId: variant(shirt, 0) }, customer);
    const again = await Promise.all(
      Array.from({ length: 8 }, () => add(store, { productId: shirt.id, variantId: variant(shirt, 0) }, customer)),
    );
    expect(new Set(again.map((payload) => payload.wishlistItem?.id))).toEqual(new Set([first.wishlistItem?.id]));
    const productOnly = await Promise.all(
      Array.from({ length: 8 }, () => add(store, { productId: shirt.id }, customer)),
    );
    expect(new Set(productOnly.map((payload) => payload.wishlistItem?.id)).size).toBe(1);
    expect((await myWishlist(customer)).totalCount).toBe(2);

    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), type: 'wishlist.item_added' },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((event) => event.payload)).toEqual([
      {
        wishlistItemId: first.wishlistItem?.id,
        productId: shirt.id,
        variantId: variant(shirt, 0),
        customerId: customer.id,
      },
      {
        wishlistItemId: productOnly[0]?.wishlistItem?.id,
        productId: shirt.id,
        variantId: null,
        customerId: customer.id,
      },
    ]);
  });

  it('removes an item, and answers NOT_FOUND for one already removed or another customer’s', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const other = await signUpCustomer(graph.client, store);
    const item = (await add(store, { productId: shirt.id }, customer)).wishlistItem?.id;

    const stranger = await graph.client.execute(WISHLIST_REMOVE, { itemId: item }, { token: other.accessToken });
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);
    const removed = await graph.client.data(WISHLIST_REMOVE, { itemId: item }, { token: customer.accessToken });
    expect(removed.wishlistRemove).toEqual({ removedItemId: item, userErrors: [] });
    expect((await myWishlist(customer)).totalCount).toBe(0);
    const twice = await graph.client.execute(WISHLIST_REMOVE, { itemId: item }, { token: customer.accessToken });
    expect(errorCodes(twice)).toEqual(['NOT_FOUND']);
  });

  it('refuses what cannot be saved with a code for each field', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const draft = await createProduct(graph.client, store, { status: 'DRAFT' });
    const codes = async (input: Record<string, unknown>) =>
      (await add(store, input, customer)).userErrors.map((error) => error.code);
    expect(await codes({ productId: draft.id })).toEqual(['PRODUCT_NOT_FOUND']);
    expect(await codes({ productId: 'not-an-id' })).toEqual(['PRODUCT_NOT_FOUND']);
    expect(await codes({ productId: shirt.id, variantId: variant(draft, 0) })).toEqual(['VARIANT_NOT_FOUND']);
    expect(await codes({ productId: shirt.id, guestWishlistToken: 'x'.repeat(43) })).toEqual([
      'GUEST_TOKEN_NOT_ALLOWED',
    ]);
    expect((await myWishlist(customer)).totalCount).toBe(0);
  });

  it('drops an archived product from the wishlist, and shows it again if it comes back', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const kept = await createProduct(graph.client, store);
    await add(store, { productId: shirt.id }, customer);
    await add(store, { productId: kept.id }, customer);
    await graph.client.data(
      `mutation ($id: ID!) { productDelete(id: $id) { userErrors { code } } }`,
      { id: shirt.id },
      asOwner(store),
    );
    const wishlist = await myWishlist(customer);
    expect(wishlist.totalCount).toBe(1);
    expect(wishlist.nodes.map((node) => node.product.id)).toEqual([kept.id]);

    await graph.client.data(
      `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { userErrors { code } } }`,
      { input: { id: shirt.id, status: 'ACTIVE' } },
      asOwner(store),
    );
    expect((await myWishlist(customer)).nodes.map((node) => node.product.id)).toEqual([kept.id, shirt.id]);
  });
});

describe('a store with wishlists turned off', () => {
  it('refuses to save or remove with WISHLIST_DISABLED and shows empty wishlists', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const item = (await add(store, { productId: shirt.id }, customer)).wishlistItem?.id;
    const guest = await add(store, { productId: shirt.id }, null);
    await setWishlistsEnabled(graph.client, store, false);

    expect((await add(store, { productId: shirt.id }, customer)).userErrors).toEqual([
      { field: null, message: 'This store has wishlists turned off.', code: 'WISHLIST_DISABLED' },
    ]);
    expect((await add(store, { productId: shirt.id }, null)).userErrors.map((error) => error.code)).toEqual([
      'WISHLIST_DISABLED',
    ]);
    const removed = await graph.client.data(WISHLIST_REMOVE, { itemId: item }, { token: customer.accessToken });
    expect(removed.wishlistRemove.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'WISHLIST_DISABLED',
    ]);
    expect(await myWishlist(customer)).toMatchObject({ totalCount: 0, nodes: [] });
    const guestList = await graph.client.data(
      GUEST_WISHLIST,
      { token: guest.guestWishlistToken },
      { store: store.slug },
    );
    expect(guestList.guestWishlist).toEqual({ totalCount: 0, nodes: [] });

    // Turned on again, nothing was lost.
    await setWishlistsEnabled(graph.client, store, true);
    expect((await myWishlist(customer)).totalCount).toBe(1);
  });
});

describe('guest wishlists', () => {
  it('are kept by the token the first save answers', async () => {
    const { store, shirt } = await wishlistStore();
    const other = await createProduct(graph.client, store);
    const first = await add(store, { productId: shirt.id }, null);
    const token = first.guestWishlistToken;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = await add(store, { productId: other.id, guestWishlistToken: token }, null);
    expect(second.guestWishlistToken).toBe(token);

    const list = await graph.client.data(GUEST_WISHLIST, { token }, { store: store.slug });
    expect(list.guestWishlist.nodes.map((node: { product: { id: string } }) => node.product.id)).toEqual([
      other.id,
      shirt.id,
    ]);
    // Another token, or another store, sees nothing of it.
    const otherStore = await createStore(graph.client);
    const elsewhere = await graph.client.data(GUEST_WISHLIST, { token }, { store: otherStore.slug });
    expect(elsewhere.guestWishlist.totalCount).toBe(0);
    const unknown = await add(store, { productId: other.id, guestWishlistToken: 'A'.repeat(43) }, null);
    expect(unknown.userErrors.map((error) => [error.code])).toEqual([['GUEST_WISHLIST_NOT_FOUND']]);

    const removed = await graph.client.data(
      WISHLIST_REMOVE,
      { itemId: second.wishlistItem?.id, token },
      { store: store.slug },
    );
    expect(removed.wishlistRemove.userErrors).toEqual([]);
    const withoutToken = await graph.client.data(
      WISHLIST_REMOVE,
      { itemId: first.wishlistItem?.id },
      { store: store.slug },
    );
    expect(withoutToken.wishlistRemove.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'GUEST_WISHLIST_NOT_FOUND',
    ]);
  });

  it('merge into the customer’s wishlist at log-in without duplicates, and the token stops working', async () => {
    const { store, shirt } = await wishlistStore();
    const hat = await createProduct(graph.client, store);
    const customer = await signUpCustomer(graph.client, store);
    await add(store, { productId: shirt.id, variantId: variant(shirt, 0) }, customer);

    const guest = await add(store, { productId: shirt.id, variantId: variant(shirt, 0) }, null);
    const token = guest.guestWishlistToken;
    await add(store, { productId: hat.id, guestWishlistToken: token }, null);

    const logIn = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password, guestWishlistToken: token } },
      { store: store.slug },
    );
    expect(logIn.customerLogIn.userErrors).toEqual([]);
    const wishlist = await myWishlist({ ...customer, accessToken: logIn.customerLogIn.accessToken });
    expect(wishlist.nodes.map((node) => [node.product.id, node.variant?.id ?? null]).sort()).toEqual(
      [
        [hat.id, null],
        [shirt.id, variant(shirt, 0)],
      ].sort(),
    );
    const after = await add(store, { productId: hat.id, guestWishlistToken: token }, null);
    expect(after.userErrors.map((error) => error.code)).toEqual(['GUEST_WISHLIST_NOT_FOUND']);
  });

  it('expire 90 days after their last change, and are deleted when the store’s next guest wishlist starts', async () => {
    const { store, shirt } = await wishlistStore();
    const old = await add(store, { productId: shirt.id }, null);
    const token = old.guestWishlistToken ?? '';
    const key = { storeId_id: { storeId: keyOf(store.id), id: token } };
    await owner.wishlist.update({ where: key, data: { updatedAt: new Date(Date.now() - 91 * 86_400_000) } });

    const list = await graph.client.data(GUEST_WISHLIST, { token }, { store: store.slug });
    expect(list.guestWishlist.totalCount).toBe(0);
    const again = await add(store, { productId: shirt.id, guestWishlistToken: token }, null);
    expect(again.userErrors.map((error) => error.code)).toEqual(['GUEST_WISHLIST_NOT_FOUND']);
    expect(await owner.wishlist.count({ where: { storeId: keyOf(store.id), id: token } })).toBe(1);

    await add(store, { productId: shirt.id }, null);
    expect(await owner.wishlist.count({ where: { storeId: keyOf(store.id), id: token } })).toBe(0);
    expect(await owner.wishlist.count({ where: { storeId: keyOf(store.id) } })).toBe(1);
  });

  it('merge into the wishlist of a customer already signed in with wishlistMerge, once', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    const token = (await add(store, { productId: shirt.id }, null)).guestWishlistToken;
    const MERGE = `mutation ($token: String!) {
      wishlistMerge(guestWishlistToken: $token) { customer { wishlist { totalCount } } userErrors { field code } }
    }`;
    const anonymous = await graph.client.execute(MERGE, { token }, { store: store.slug });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const merged = await graph.client.data(MERGE, { token }, { token: customer.accessToken });
    expect(merged.wishlistMerge).toEqual({ customer: { wishlist: { totalCount: 1 } }, userErrors: [] });
    const twice = await graph.client.data(MERGE, { token }, { token: customer.accessToken });
    expect(twice.wishlistMerge).toEqual({
      customer: null,
      userErrors: [{ field: ['guestWishlistToken'], code: 'GUEST_WISHLIST_NOT_FOUND' }],
    });
  });

  it('merge into a new account at sign-up', async () => {
    const { store, shirt } = await wishlistStore();
    const guest = await add(store, { productId: shirt.id }, null);
    const signUp = await graph.client.data(
      SIGN_UP,
      {
        input: {
          email: `${unique('buyer')}@example.com`,
          password: 'plum orchard lantern',
          firstName: 'Grace',
          lastName: 'Hopper',
          guestWishlistToken: guest.guestWishlistToken,
        },
      },
      { store: store.slug },
    );
    expect(signUp.customerSignUp.userErrors).toEqual([]);
    const wishlist = await graph.client.data(MY_WISHLIST, {}, { token: signUp.customerSignUp.accessToken });
    expect(wishlist.currentCustomer.wishlist.nodes.map((node: WishlistNode) => node.product.id)).toEqual([shirt.id]);
  });
});

describe('wishlists across customers and stores', () => {
  it('staff with the customers permission read a customer’s wishlist; other stores’ staff and customers cannot', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    await add(store, { productId: shirt.id }, customer);
    const QUERY = `query ($id: ID!) { customer(id: $id) { wishlist { totalCount } } }`;

    const asStaff = await graph.client.data(QUERY, { id: customer.id }, asOwner(store));
    expect(asStaff.customer.wishlist.totalCount).toBe(1);

    const otherStore = await createStore(graph.client);
    const otherStaff = await graph.client.execute(
      QUERY,
      { id: customer.id },
      { token: otherStore.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(otherStaff)).toEqual(['FORBIDDEN']);
    const viaOwnStore = await graph.client.data(QUERY, { id: customer.id }, asOwner(otherStore));
    expect(viaOwnStore.customer).toBeNull();

    const otherCustomer = await signUpCustomer(graph.client, otherStore);
    const crossing = await graph.client.execute(
      `{ currentCustomer { wishlist { totalCount } } }`,
      {},
      { token: otherCustomer.accessToken, store: store.slug },
    );
    expect(errorCodes(crossing)).toEqual(['FORBIDDEN']);
    const node = await graph.client.execute(
      `query ($id: ID!) { node(id: $id) { ... on Customer { wishlist { totalCount } } } }`,
      { id: customer.id },
      { token: otherCustomer.accessToken },
    );
    expect(node.data?.node ?? null).toBeNull();
  });
  it('are read by the roles with the customers permission only', async () => {
    const { store, shirt } = await wishlistStore();
    const customer = await signUpCustomer(graph.client, store);
    await add(store, { productId: shirt.id }, customer);
    await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
    const QUERY = `query ($id: ID!) { customer(id: $id) { wishlist { totalCount } followedStores { id } } }`;
    const answers: Record<string, unknown> = {};
    for (const role of ['OWNER', 'ADMIN', 'MANAGER', 'STAFF'] as const) {
      const token =
        role === 'OWNER'
          ? store.owner.accessToken
          : (await addStaffMember(graph.client, owner, store, role)).accessToken;
      const response = await graph.client.execute(QUERY, { id: customer.id }, { token, store: store.slug });
      answers[role] = response.data?.customer ?? errorCodes(response);
    }
    const allowed = { wishlist: { totalCount: 1 }, followedStores: [{ id: store.id }] };
    expect(answers).toEqual({ OWNER: allowed, ADMIN: allowed, MANAGER: ['FORBIDDEN'], STAFF: ['FORBIDDEN'] });
  });

  it('a customer of one store reaches nothing of another store’s wishlists', async () => {
    const victim = await wishlistStore();
    const victimCustomer = await signUpCustomer(graph.client, victim.store);
    const victimItem = (await add(victim.store, { productId: victim.shirt.id }, victimCustomer)).wishlistItem?.id;
    const victimGuest = await add(victim.store, { productId: victim.shirt.id }, null);
    const attacker = await wishlistStore();
    const customer = await signUpCustomer(graph.client, attacker.store);
    const asAttacker = { token: customer.accessToken };

    // Their item, by id: not found in the attacker's store, refused in the victim's.
    const remove = await graph.client.execute(WISHLIST_REMOVE, { itemId: victimItem }, asAttacker);
    expect(errorCodes(remove)).toEqual(['NOT_FOUND']);
    const removeThere = await graph.client.execute(
      WISHLIST_REMOVE,
      { itemId: victimItem },
      { ...asAttacker, store: victim.store.slug },
    );
    expect(errorCodes(removeThere)).toEqual(['FORBIDDEN']);
    // Their products cannot be saved, and their guest wishlist cannot be read or changed.
    expect((await add(attacker.store, { productId: victim.shirt.id }, customer)).userErrors).toMatchObject([
      { code: 'PRODUCT_NOT_FOUND' },
    ]);
    const guestRead = await graph.client.data(GUEST_WISHLIST, { token: victimGuest.guestWishlistToken }, asAttacker);
    expect(guestRead.guestWishlist.totalCount).toBe(0);
    const guestRemove = await graph.client.data(
      WISHLIST_REMOVE,
      { itemId: victimGuest.wishlistItem?.id, token: victimGuest.guestWishlistToken },
      { store: attacker.store.slug },
    );
    expect(guestRemove.wishlistRemove.userErrors).toMatchObject([{ code: 'GUEST_WISHLIST_NOT_FOUND' }]);

    expect((await myWishlist(victimCustomer)).totalCount).toBe(1);
    const victimGuestList = await graph.client.data(
      GUEST_WISHLIST,
      { token: victimGuest.guestWishlistToken },
      { store: victim.store.slug },
    );
    expect(victimGuestList.guestWishlist.totalCount).toBe(1);
  });
});
