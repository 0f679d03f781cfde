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
  type TestStore,
} from '@commerce/testkit';
import {
  createCart,
  insertCustomer,
  insertShippingZone,
  placeOrder,
  stockedProductInput,
} from '@commerce/testkit/checkout-kit';
import { firstVariantId } from '@commerce/testkit/catalog-kit';
import {
  insertBuyer,
  payloadOf,
  PRODUCT_REVIEWS,
  REVIEW_CREATE,
  REVIEW_DELETE,
  REVIEW_HELPFUL,
  REVIEW_MODERATE,
  REVIEW_UPDATE,
  setReviewSettings,
  userErrorCodes,
} from '@commerce/testkit/review-kit';

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

interface Review {
  id: string;
  rating: number;
  title: string;
  body: string;
  authorName: string;
  verifiedBuyer: boolean;
  status: string;
  helpfulCount: number;
  reply: string | null;
}
interface ReviewPayload {
  review: Review | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}
interface Rating {
  average: number | null;
  count: number;
  distribution: { rating: number; count: number }[];
}

async function storeWithProduct(settings: { reviewModerationRequired?: boolean } = {}) {
  const store = await createStore(graph.client);
  await setReviewSettings(graph.client, store, { reviewsEnabled: true, ...settings });
  const product = await createProduct(graph.client, store);
  return { store, product };
}

async function review(
  store: TestStore,
  token: string,
  input: Record<string, unknown>,
): Promise<ReviewPayload & { errors: string[] }> {
  const response = await graph.client.execute(
    REVIEW_CREATE,
    { input: { title: 'Good', body: 'Does what it says.', ...input } },
    { token, store: store.slug },
  );
  if (response.errors?.length) return { review: null, userErrors: [], errors: errorCodes(response) };
  return { ...payloadOf<ReviewPayload>(response), errors: [] };
}

async function mutate(
  query: string,
  variables: Record<string, unknown>,
  store: TestStore,
  token?: string,
): Promise<{ payload: (ReviewPayload & { deletedReviewId?: string }) | null; errors: string[] }> {
  const response = await graph.client.execute(query, variables, { token, store: store.slug });
  if (response.errors?.length) return { payload: null, errors: errorCodes(response) };
  return { payload: payloadOf<ReviewPayload & { deletedReviewId?: string }>(response), errors: [] };
}

async function reviewsOf(
  store: TestStore,
  productId: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{
  rating: Rating | null;
  reviews: { nodes: Review[]; totalCount: number; pageInfo: { endCursor: string } };
}> {
  const data = await graph.client.data(
    PRODUCT_REVIEWS,
    { id: productId, first: 20, ...variables },
    { store: store.slug, token },
  );
  return data.store.product;
}

const distribution = (counts: Record<number, number>) =>
  [5, 4, 3, 2, 1].map((rating) => ({ rating, count: counts[rating] ?? 0 }));

describe('productReviewCreate', () => {
  it('marks a buyer of the product as a verified buyer, and a stranger not', async () => {
    const { store, product } = await storeWithProduct();
    const buyer = await insertBuyer(owner, store, product.id);
    const stranger = await insertCustomer(owner, store);
    const cancelled = await insertBuyer(owner, store, product.id, { status: 'CANCELLED' });

    const bought = await review(store, buyer.accessToken, { productId: product.id, rating: 5 });
    const strange = await review(store, stranger.accessToken, { productId: product.id, rating: 2 });
    const withdrawn = await review(store, cancelled.accessToken, { productId: product.id, rating: 3 });

    expect(bought.review).toMatchObject({ verifiedBuyer: true, status: 'PUBLISHED', authorName: 'Test B.' });
    expect(strange.review).toMatchObject({ verifiedBuyer: false, status: 'PUBLISHED' });
    expect(withdrawn.review?.verifiedBuyer).toBe(false);
    const read = await reviewsOf(store, product.id);
    expect(read.rating).toEqual({ average: 3.33, count: 3, distribution: distribution({ 5: 1, 3: 1, 2: 1 }) });

    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), type: 'review.created' },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((event) => event.payload)).toEqual([
      { reviewId: bought.review?.id, productId: product.id, rating: 5, status: 'PUBLISHED', verifiedBuyer: true },
      { reviewId: strange.review?.id, productId: product.id, rating: 2, status: 'PUBLISHED', verifiedBuyer: false },
      { reviewId: withdrawn.review?.id, productId: product.id, rating: 3, status: 'PUBLISHED', verifiedBuyer: false },
    ]);
  });

  it('marks a customer who checked the product out as a verified buyer', async () => {
    const store = await createStore(graph.client);
    await setReviewSettings(graph.client, store, { reviewsEnabled: true });
    await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 3 }]));
    const customer = await insertCustomer(owner, store);
    const before = await review(store, customer.accessToken, { productId: product.id, rating: 4 });
    expect(before.review?.verifiedBuyer).toBe(false);

    const cart = await createCart(
      graph.client,
      store,
      [{ variantId: firstVariantId(product), quantity: 1 }],
      customer.accessToken,
    );
    const order = await placeOrder(graph.client, store, cart.id, {
      token: customer.accessToken,
      email: customer.email,
    });
    expect(order.paymentStatus).toBe('PAID');
    // Editing the review checks again: now the customer has bought the product.
    const after = await mutate(
      REVIEW_UPDATE,
      { input: { reviewId: before.review?.id, rating: 5 } },
      store,
      customer.accessToken,
    );
    expect(after.payload?.review).toMatchObject({ rating: 5, verifiedBuyer: true });
  });

  it('takes one review per customer and product, even five at once', async () => {
    const { store, product } = await storeWithProduct();
    const customer = await insertCustomer(owner, store);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        review(store, customer.accessToken, { productId: product.id, rating: i + 1 }),
      ),
    );
    expect(results.filter((result) => result.review !== null)).toHaveLength(1);
    expect(results.flatMap(userErrorCodes).sort()).toEqual(Array(4).fill('ALREADY_REVIEWED'));
    expect((await reviewsOf(store, product.id)).rating?.count).toBe(1);
  });

  it('refuses HTML, text over its limits, blank text and ratings outside 1 to 5', async () => {
    const { store, product } = await storeWithProduct();
    const customer = await insertCustomer(owner, store);
    const refused = await review(store, customer.accessToken, {
      productId: product.id,
      rating: 6,
      title: 'x'.repeat(121),
      body: 'Nice <b>shirt</b>',
    });
    expect(refused.userErrors.map((error) => [error.field?.join('.'), error.code])).toEqual([
      ['input.rating', 'INVALID'],
      ['input.title', 'TOO_LONG'],
      ['input.body', 'CONTAINS_HTML'],
    ]);
    const blank = await review(store, customer.accessToken, { productId: product.id, rating: 0, title: '  ' });
    expect(userErrorCodes(blank)).toEqual(['INVALID', 'BLANK']);
    expect((await reviewsOf(store, product.id)).rating?.count).toBe(0);

    // A "<" that opens no tag is text.
    const text = await review(store, customer.accessToken, {
      productId: product.id,
      rating: 4,
      body: 'Fits a chest < 100 cm. <3',
    });
    expect(text.review?.body).toBe('Fits a chest < 100 cm. <3');
  });

  it('needs a signed-in customer and a product for sale in the store', async () => {
    const { store, product } = await storeWithProduct();
    const anonymous = await review(store, '', { productId: product.id, rating: 5 });
    expect(anonymous.errors).toEqual(['UNAUTHENTICATED']);
    const staff = await review(store, store.owner.accessToken, { productId: product.id, rating: 5 });
    expect(staff.errors).toEqual(['UNAUTHENTICATED']);
    const draft = await createProduct(graph.client, store, { status: 'DRAFT' });
    const customer = await insertCustomer(owner, store);
    expect((await review(store, customer.accessToken, { productId: draft.id, rating: 5 })).errors).toEqual([
      'NOT_FOUND',
    ]);
    const other = await storeWithProduct();
    const elsewhere = await review(store, customer.accessToken, { productId: other.product.id, rating: 5 });
    expect(elsewhere.errors).toEqual(['NOT_FOUND']);
  });

  it('allows ten reviews and questions an hour per customer', async () => {
    const store = (await storeWithProduct()).store;
    const products = await Promise.all(Array.from({ length: 11 }, () => createProduct(graph.client, store)));
    const customer = await insertCustomer(owner, store);
    const codes: string[][] = [];
    for (const product of products)
      codes.push(userErrorCodes(await review(store, customer.accessToken, { productId: product.id, rating: 4 })));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill([]));
    expect(codes[10]).toEqual(['THROTTLED']);
  });
});

describe('Product.rating', () => {
  it('is exact after 100 customers review one product at once', async () => {
    const { store, product } = await storeWithProduct();
    const customers = await Promise.all(Array.from({ length: 100 }, () => insertCustomer(owner, store)));
    const ratings = customers.map((_, i) => ((i * 7) % 5) + 1);
    const write = async (token: string, rating: number): Promise<ReviewPayload & { errors: string[] }> => {
      // A client tries again when the database was too busy (TRY_AGAIN: nothing was kept).
      for (;;) {
        const result = await review(store, token, { productId: product.id, rating });
        if (!result.errors.includes('TRY_AGAIN')) return result;
      }
    };
    const results = await Promise.all(customers.map((customer, i) => write(customer.accessToken, ratings[i] ?? 1)));
    expect(results.filter((result) => result.review?.status !== 'PUBLISHED')).toEqual([]);

    const rows = await owner.productReview.findMany({
      where: { storeId: keyOf(store.id), productId: keyOf(product.id), status: 'PUBLISHED' },
      select: { rating: true },
    });
    const sum = rows.reduce((total, row) => total + row.rating, 0);
    const counts: Record<number, number> = {};
    for (const row of rows) counts[row.rating] = (counts[row.rating] ?? 0) + 1;
    expect(rows).toHaveLength(100);
    expect((await reviewsOf(store, product.id)).rating).toEqual({
      average: Math.round((sum * 100) / 100) / 100,
      count: 100,
      distribution: distribution(counts),
    });
    expect(sum).toBe(ratings.reduce((total, rating) => total + rating, 0));
  });

  it('stays exact while staff publish and hide, and authors edit and delete, all at once', async () => {
    const { store, product } = await storeWithProduct({ reviewModerationRequired: true });
    const authors = await Promise.all(Array.from({ length: 30 }, () => insertCustomer(owner, store)));
    const written = await Promise.all(
      authors.map((author, i) => review(store, author.accessToken, { productId: product.id, rating: (i % 5) + 1 })),
    );
    const ids = written.map((result) => result.review?.id ?? '');
    await Promise.all(
      ids
        .slice(0, 20)
        .map((id) =>
          mutate(REVIEW_MODERATE, { input: { reviewId: id, status: 'PUBLISHED' } }, store, store.owner.accessToken),
        ),
    );
    const staffToken = store.owner.accessToken;
    const retried = async (query: string, variables: Record<string, unknown>, token: string) => {
      for (;;) {
        const result = await mutate(query, variables, store, token);
        if (!result.errors.includes('TRY_AGAIN')) return result;
      }
    };
    // Every review is changed by its author and by staff at the same time.
    await Promise.all(
      ids.flatMap((id, i) => {
        const token = authors[i]?.accessToken ?? '';
        const staff =
          i % 2 === 0
            ? retried(REVIEW_MODERATE, { input: { reviewId: id, status: 'HIDDEN' } }, staffToken)
            : retried(REVIEW_MODERATE, { input: { reviewId: id, status: 'PUBLISHED' } }, staffToken);
        const author =
          i % 3 === 0
            ? retried(REVIEW_DELETE, { id }, token)
            : retried(REVIEW_UPDATE, { input: { reviewId: id, rating: 5 - (i % 5) } }, token);
        return [staff, author];
      }),
    );
    const rows = await owner.productReview.findMany({
      where: { storeId: keyOf(store.id), productId: keyOf(product.id), status: 'PUBLISHED' },
      select: { rating: true },
    });
    const counts: Record<number, number> = {};
    for (const row of rows) counts[row.rating] = (counts[row.rating] ?? 0) + 1;
    const sum = rows.reduce((total, row) => total + row.rating, 0);
    expect((await reviewsOf(store, product.id)).rating).toEqual({
      average: rows.length === 0 ? null : Math.round((sum * 100) / rows.length) / 100,
      count: rows.length,
      distribution: distribution(counts),
    });
  });

  it('follows edits and deletions, and is null with reviews off', async () => {
    const { store, product } = await storeWithProduct();
    const author = await insertCustomer(owner, store);
    const other = await insertCustomer(owner, store);
    const written = await review(store, author.accessToken, { productId: product.id, rating: 2 });
    const id = written.review?.id;
    await review(store, other.accessToken, { productId: product.id, rating: 4 });

    const edited = await mutate(
      REVIEW_UPDATE,
      { input: { reviewId: id, rating: 5, title: 'Better' } },
      store,
      author.accessToken,
    );
    expect(edited.payload?.review).toMatchObject({ rating: 5, title: 'Better', status: 'PUBLISHED' });
    expect((await reviewsOf(store, product.id)).rating).toEqual({
      average: 4.5,
      count: 2,
      distribution: distribution({ 5: 1, 4: 1 }),
    });
    // Someone else's review is not found for editing or deleting.
    expect(
      (await mutate(REVIEW_UPDATE, { input: { reviewId: id, rating: 1 } }, store, other.accessToken)).errors,
    ).toEqual(['NOT_FOUND']);
    expect((await mutate(REVIEW_DELETE, { id }, store, other.accessToken)).errors).toEqual(['NOT_FOUND']);

    const deleted = await mutate(REVIEW_DELETE, { id }, store, author.accessToken);
    expect(deleted.payload?.deletedReviewId).toBe(id);
    expect((await reviewsOf(store, product.id)).rating).toEqual({
      average: 4,
      count: 1,
      distribution: distribution({ 4: 1 }),
    });

    await setReviewSettings(graph.client, store, { reviewsEnabled: false });
    const off = await reviewsOf(store, product.id);
    expect(off.rating).toBeNull();
    expect(off.reviews).toMatchObject({ nodes: [], totalCount: 0 });
    expect(userErrorCodes(await review(store, author.accessToken, { productId: product.id, rating: 3 }))).toEqual([
      'REVIEWS_DISABLED',
    ]);
    const stillOne = await owner.product.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(product.id) } },
    });
    expect(stillOne.ratingCount).toBe(1);
  });
});

describe('moderation', () => {
  it('holds reviews until staff publish them, and takes them out of the rating when hidden', async () => {
    const { store, product } = await storeWithProduct({ reviewModerationRequired: true });
    const customer = await insertCustomer(owner, store);
    const written = await review(store, customer.accessToken, { productId: product.id, rating: 4 });
    expect(written.review?.status).toBe('PENDING');
    const id = written.review?.id;

    const storefront = await reviewsOf(store, product.id);
    expect(storefront.rating?.count).toBe(0);
    expect(storefront.reviews.nodes).toEqual([]);
    const staffView = await reviewsOf(store, product.id, { filter: { status: 'PENDING' } }, store.owner.accessToken);
    expect(staffView.reviews.nodes.map((node) => node.id)).toEqual([id]);
    const asked = await graph.client.execute(
      PRODUCT_REVIEWS,
      { id: product.id, filter: { status: 'PENDING' } },
      { store: store.slug, token: customer.accessToken },
    );
    expect(errorCodes(asked)).toEqual(['FORBIDDEN']);

    // Staff without MANAGE_PRODUCTS, and customers, cannot moderate.
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    const input = { reviewId: id, status: 'PUBLISHED', reply: 'Thank you!' };
    expect((await mutate(REVIEW_MODERATE, { input }, store, clerk.accessToken)).errors).toEqual(['FORBIDDEN']);
    expect((await mutate(REVIEW_MODERATE, { input }, store, customer.accessToken)).errors).toEqual(['UNAUTHENTICATED']);

    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const published = await mutate(REVIEW_MODERATE, { input }, store, manager.accessToken);
    expect(published.payload?.review).toMatchObject({ status: 'PUBLISHED', reply: 'Thank you!' });
    const shown = await reviewsOf(store, product.id);
    expect(shown.rating).toEqual({ average: 4, count: 1, distribution: distribution({ 4: 1 }) });
    expect(shown.reviews.nodes).toMatchObject([{ id, reply: 'Thank you!' }]);

    const hidden = await mutate(
      REVIEW_MODERATE,
      { input: { reviewId: id, status: 'HIDDEN' } },
      store,
      manager.accessToken,
    );
    expect(hidden.payload?.review).toMatchObject({ status: 'HIDDEN', reply: 'Thank you!' });
    const gone = await reviewsOf(store, product.id);
    expect(gone.rating?.count).toBe(0);
    expect(gone.reviews.nodes).toEqual([]);

    // An edit of a published review waits for moderation again.
    await mutate(REVIEW_MODERATE, { input: { reviewId: id, status: 'PUBLISHED' } }, store, manager.accessToken);
    const edited = await mutate(
      REVIEW_UPDATE,
      { input: { reviewId: id, body: 'Changed my mind.' } },
      store,
      customer.accessToken,
    );
    expect(edited.payload?.review?.status).toBe('PENDING');
    expect((await reviewsOf(store, product.id)).rating?.count).toBe(0);

    // Staff delete any review; a published one leaves the rating.
    await mutate(REVIEW_MODERATE, { input: { reviewId: id, status: 'PUBLISHED' } }, store, manager.accessToken);
    expect((await reviewsOf(store, product.id)).rating?.count).toBe(1);
    expect((await mutate(REVIEW_DELETE, { id }, store, manager.accessToken)).payload?.deletedReviewId).toBe(id);
    expect((await reviewsOf(store, product.id)).rating?.count).toBe(0);
  });
});

describe('productReviewMarkHelpful', () => {
  it('counts each customer once, also when they press it many times at once', async () => {
    const { store, product } = await storeWithProduct();
    const author = await insertCustomer(owner, store);
    const written = await review(store, author.accessToken, { productId: product.id, rating: 5 });
    const id = written.review?.id;
    const readers = await Promise.all(Array.from({ length: 8 }, () => insertCustomer(owner, store)));
    const eager = readers[0];
    if (!eager) throw new Error('no readers');

    const results = await Promise.all([
      ...readers.map((reader) => mutate(REVIEW_HELPFUL, { id }, store, reader.accessToken)),
      ...Array.from({ length: 4 }, () => mutate(REVIEW_HELPFUL, { id }, store, eager.accessToken)),
    ]);
    expect(results.flatMap((result) => (result.payload ? userErrorCodes(result.payload) : result.errors))).toEqual(
      Array(4).fill('ALREADY_MARKED'),
    );
    expect(
      userErrorCodes((await mutate(REVIEW_HELPFUL, { id }, store, author.accessToken)).payload ?? { userErrors: [] }),
    ).toEqual(['OWN_REVIEW']);
    expect((await reviewsOf(store, product.id)).reviews.nodes[0]?.helpfulCount).toBe(8);
  });
});

describe('Product.reviews', () => {
  it('sorts by newest, highest, lowest and most helpful, filters by rating and pages', async () => {
    const { store, product } = await storeWithProduct();
    const customers = await Promise.all(Array.from({ length: 4 }, () => insertCustomer(owner, store)));
    const ids: string[] = [];
    for (const [i, customer] of customers.entries()) {
      const written = await review(store, customer.accessToken, { productId: product.id, rating: [3, 5, 1, 5][i] });
      ids.push(written.review?.id ?? '');
    }
    const [a, b, c, d] = ids;
    const voters = await Promise.all(Array.from({ length: 2 }, () => insertCustomer(owner, store)));
    for (const voter of voters) await mutate(REVIEW_HELPFUL, { id: c }, store, voter.accessToken);
    await mutate(REVIEW_HELPFUL, { id: a }, store, voters[0]?.accessToken);

    const order = async (variables: Record<string, unknown>) =>
      (await reviewsOf(store, product.id, variables)).reviews.nodes.map((node) => node.id);
    expect(await order({})).toEqual([d, c, b, a]);
    expect((await order({ sortKey: 'HIGHEST' })).slice(2)).toEqual([a, c]);
    expect((await order({ sortKey: 'LOWEST' })).slice(0, 2)).toEqual([c, a]);
    expect((await order({ sortKey: 'MOST_HELPFUL' })).slice(0, 2)).toEqual([c, a]);
    expect((await order({ filter: { rating: 5 } })).sort()).toEqual([b, d].sort());

    const first = await reviewsOf(store, product.id, { first: 3 });
    const rest = await reviewsOf(store, product.id, { first: 3, after: first.reviews.pageInfo.endCursor });
    expect([...first.reviews.nodes, ...rest.reviews.nodes].map((node) => node.id)).toEqual([d, c, b, a]);
    expect(first.reviews.totalCount).toBe(4);

    const bad = await graph.client.execute(
      PRODUCT_REVIEWS,
      { id: product.id, filter: { rating: 6 } },
      { store: store.slug },
    );
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('reviews across stores', () => {
  it('are neither moderated nor read through another store, and node finds a published one in its own', async () => {
    const mine = await storeWithProduct();
    const theirs = await storeWithProduct({ reviewModerationRequired: true });
    const customer = await insertCustomer(owner, theirs.store);
    const written = await review(theirs.store, customer.accessToken, { productId: theirs.product.id, rating: 5 });
    const id = written.review?.id;
    const input = { reviewId: id, status: 'PUBLISHED' };

    expect((await mutate(REVIEW_MODERATE, { input }, mine.store, mine.store.owner.accessToken)).errors).toEqual([
      'NOT_FOUND',
    ]);
    expect((await mutate(REVIEW_MODERATE, { input }, theirs.store, mine.store.owner.accessToken)).errors).toEqual([
      'FORBIDDEN',
    ]);
    expect((await mutate(REVIEW_DELETE, { id }, mine.store, mine.store.owner.accessToken)).errors).toEqual([
      'NOT_FOUND',
    ]);

    const NODE = `query ($id: ID!) { node(id: $id) { ... on ProductReview { id rating status } } }`;
    const node = async (store: TestStore, token?: string) =>
      (await graph.client.data(NODE, { id }, { store: store.slug, token })).node;
    // Pending: only the store's staff see it.
    expect(await node(theirs.store)).toBeNull();
    expect(await node(theirs.store, theirs.store.owner.accessToken)).toEqual({ id, rating: 5, status: 'PENDING' });
    await mutate(REVIEW_MODERATE, { input }, theirs.store, theirs.store.owner.accessToken);
    expect(await node(theirs.store)).toEqual({ id, rating: 5, status: 'PUBLISHED' });
    expect(await node(mine.store)).toBeNull();
    expect(await node(mine.store, mine.store.owner.accessToken)).toBeNull();
  });
});
