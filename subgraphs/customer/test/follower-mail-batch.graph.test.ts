// The follower mail writer's batch, where its rules live: who is mailed of a published product,
// in how many statements, and that reading the same events again writes nothing; and the rule the
// mail sender applies when it renders one: a mail that no longer applies is not sent. The graph's own
// writer is stopped, so each batch here is the only one reading the store's events.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, inScope } from '@commerce/database';
import { renderNewProductNotification, type NewProductNotificationData } from '@commerce/mail';
import {
  createProduct,
  createStore,
  keyOf,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { writeFollowerMailBatch } from '../src/follower-mail/index.js';

let graph: IsolatedTestGraph;
beforeAll(async () => {
  graph = await startIsolatedTestGraph();
  await graph.graph.realtime.followerMail?.stop();
});
afterAll(async () => {
  await graph?.close();
});

const STOREFRONT_URL = 'https://shops.example.com/{store}';

/** Adds `count` customers of the store who follow it, with the given status and mail choice. */
async function addFollowers(
  store: TestStore,
  count: number,
  options: { status?: 'ACTIVE' | 'SUSPENDED' | 'DELETED'; notifyNewProducts?: boolean } = {},
): Promise<string[]> {
  const storeId = keyOf(store.id);
  const ids = Array.from({ length: count }, () => randomUUID());
  await graph.owner.customer.createMany({
    data: ids.map((id) => ({ id, storeId, email: `${id}@example.com`, status: options.status ?? 'ACTIVE' })),
  });
  await graph.owner.storeFollow.createMany({
    data: ids.map((customerId) => ({ storeId, customerId, notifyNewProducts: options.notifyNewProducts ?? true })),
  });
  return ids;
}

/** Runs the store's next batch as the writer does, counting its statements. */
async function batch(store: TestStore) {
  const storeId = keyOf(store.id);
  const { result, counter } = await countStatements(() =>
    inScope(graph.database.prisma, { storeId }, (tx) =>
      writeFollowerMailBatch(tx, storeId, { limit: 500, storefrontUrl: STOREFRONT_URL }),
    ),
  );
  return { ...result, statements: counter.count };
}

function newProductMails(store: TestStore) {
  return graph.owner.mailMessage.findMany({ where: { storeId: keyOf(store.id), kind: 'NEW_PRODUCT' } });
}

describe('the follower mail batch', () => {
  it('writes the mails of 250 followers in the statements it takes for 2', async () => {
    const small = await createStore(graph.client);
    const large = await createStore(graph.client);
    await addFollowers(small, 2);
    const followers = await addFollowers(large, 250);
    await addFollowers(large, 5, { notifyNewProducts: false });
    await addFollowers(large, 5, { status: 'SUSPENDED' });
    await addFollowers(large, 5, { status: 'DELETED' });
    const [smallProduct, largeProduct] = await Promise.all([
      createProduct(graph.client, small, { status: 'ACTIVE' }),
      createProduct(graph.client, large, { status: 'ACTIVE' }),
    ]);

    const fromSmall = await batch(small);
    const fromLarge = await batch(large);
    expect(fromSmall.mails).toBe(2);
    expect(fromLarge.mails).toBe(250);
    expect(fromLarge.statements).toBe(fromSmall.statements);

    const mails = await newProductMails(large);
    expect(mails.map((mail) => mail.to).sort()).toEqual(followers.map((id) => `${id}@example.com`).sort());
    expect(mails[0]?.data).toEqual({
      productId: keyOf(largeProduct.id),
      customerId: expect.any(String),
      storefrontUrl: `https://shops.example.com/${large.slug}`,
    });
    expect((await newProductMails(small)).map((mail) => (mail.data as { productId: string }).productId)).toEqual([
      keyOf(smallProduct.id),
      keyOf(smallProduct.id),
    ]);
  });

  it('writes nothing when the events are read again, nor for a draft', async () => {
    const store = await createStore(graph.client);
    await addFollowers(store, 3);
    await createProduct(graph.client, store, { status: 'ACTIVE' });
    await createProduct(graph.client, store, { status: 'DRAFT' });
    expect((await batch(store)).mails).toBe(3);
    expect((await batch(store)).events).toBe(0);

    await graph.owner.followerMailCursor.update({ where: { storeId: keyOf(store.id) }, data: { lastSequence: 0n } });
    const again = await batch(store);
    expect(again.events).toBeGreaterThan(0);
    expect(again.mails).toBe(0);
    expect(await newProductMails(store)).toHaveLength(3);
  });

  it('renders a written mail as nothing once the follower turned it off, the product left or the account closed', async () => {
    const store = await createStore(graph.client);
    const storeId = keyOf(store.id);
    const [first, second, third] = await addFollowers(store, 3);
    const product = await createProduct(graph.client, store, { title: 'Stool', status: 'ACTIVE' });
    await batch(store);
    const render = (customerId: string | undefined) =>
      inScope(graph.database.prisma, { storeId }, (tx) => {
        const data: NewProductNotificationData = {
          productId: keyOf(product.id),
          customerId: customerId ?? '',
          storefrontUrl: null,
        };
        return renderNewProductNotification(tx, storeId, data);
      });
    expect((await render(first))?.subject).toBe(`New at Store ${store.slug}: Stool`);
    expect((await render(first))?.text).not.toContain('See the product');

    await graph.owner.storeFollow.updateMany({
      where: { storeId, customerId: first },
      data: { notifyNewProducts: false },
    });
    await graph.owner.customer.updateMany({ where: { storeId, id: second }, data: { status: 'DELETED' } });
    expect(await render(first)).toBeNull();
    expect(await render(second)).toBeNull();
    expect(await render(third)).not.toBeNull();
    await graph.owner.product.updateMany({ where: { storeId, id: keyOf(product.id) }, data: { status: 'ARCHIVED' } });
    expect(await render(third)).toBeNull();
  });
});
