// Ratings and reviews are storefront content: a review's event drops the store's cached answers,
// so an anonymous listing shows the new rating once the event arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import { createProduct, createStore, eventually, ownerPrisma, startTestGraph, type TestGraph } from '@commerce/testkit';
import { insertCustomer } from '@commerce/testkit/checkout-kit';
import { REVIEW_CREATE, setReviewSettings } from '@commerce/testkit/review-kit';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true, realtime: { relayPollIntervalMs: 200 } });
});
afterAll(async () => {
  await graph.close();
});

const LISTING = `{ store { products(first: 5) { nodes { title rating { average count } } } } }`;

describe('the storefront cache and reviews', () => {
  it('shows a new rating on the next reads once the review’s event arrives', async () => {
    const store = await createStore(graph.client);
    await setReviewSettings(graph.client, store, { reviewsEnabled: true });
    const product = await createProduct(graph.client, store);
    const rating = async () => {
      const data = await graph.client.data(LISTING, {}, { store: store.slug });
      return data.store.products.nodes[0]?.rating;
    };
    await eventually('an answer from the cache', async () => {
      await rating();
      const before = processStatementCount.value;
      await rating();
      return processStatementCount.value === before;
    });
    expect(await rating()).toEqual({ average: null, count: 0 });

    const owner = ownerPrisma();
    const customer = await insertCustomer(owner, store);
    await owner.$disconnect();
    const { productReviewCreate } = await graph.client.data(
      REVIEW_CREATE,
      { input: { productId: product.id, rating: 4, title: 'Nice', body: 'Nice.' } },
      { token: customer.accessToken, store: store.slug },
    );
    expect(productReviewCreate.userErrors).toEqual([]);
    await eventually('the new rating', async () => (await rating())?.count === 1, 10_000);
    expect(await rating()).toEqual({ average: 4, count: 1 });
  });
});
