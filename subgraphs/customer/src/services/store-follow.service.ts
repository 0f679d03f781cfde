import type { StoreFollow, Transaction } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import { forbidden, keyOrNull, notFound, toGlobalId, userError, type UserError } from '@commerce/graphql-kit';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { StoreParent } from '../mappers.js';
import { requireActiveCustomer } from './customer.service.js';

// Customers are accounts of one store, so a follow is a row of the followed store: its customer
// follows it. A customer token reaches only its own store's rows, and a buyer with accounts in
// several stores sees what each account follows with that account's token; nothing joins
// accounts across stores. StoreFollowerCount holds the exact count: each follow or unfollow that
// changes a row moves it by one in the same transaction, and the (storeId, customerId) key makes
// a repeated or concurrent follow change nothing.
//
// A follow mails the follower when the store publishes a new product unless they turn
// notifyNewProducts off; the mails are written from the product.published events by the follower
// mail writer (../follower-mail), never in the request that publishes.

export interface StoreFollowResult {
  store: StoreParent | null;
  following: boolean;
  storeFollow: StoreFollow | null;
  userErrors: UserError<CustomerErrorCode>[];
}

/** The store a customer may follow: their own store, named by its global id; FORBIDDEN for any other. */
function ownStoreKey(storeId: string, customerStoreId: string): string {
  const key = keyOrNull(storeId, 'Store');
  if (!key) throw notFound(`Store "${storeId}"`);
  if (key !== customerStoreId)
    throw forbidden(
      "A customer account follows its own store only: to follow another store, sign in (or sign up) to that store's storefront.",
    );
  return key;
}

/** The calling customer follows their store; following again changes nothing. Announced as store.followed. */
export async function followStore(context: SubgraphContext, storeId: string): Promise<StoreFollowResult> {
  const customer = await requireActiveCustomer(context);
  const key = ownStoreKey(storeId, customer.storeId);
  const storeFollow = await context.db.transaction(async (tx) => {
    const added = await tx.storeFollow.createMany({
      data: [{ storeId: key, customerId: customer.id }],
      skipDuplicates: true,
    });
    const follow = await tx.storeFollow.findUniqueOrThrow({
      where: { storeId_customerId: { storeId: key, customerId: customer.id } },
    });
    if (added.count === 0) return follow;
    await tx.$executeRaw`
      INSERT INTO "StoreFollowerCount" ("storeId", "followersCount") VALUES (${key}::uuid, 1)
      ON CONFLICT ("storeId") DO UPDATE SET "followersCount" = "StoreFollowerCount"."followersCount" + 1`;
    await announceFollow(tx, 'store.followed', key, customer.id);
    return follow;
  });
  return { store: { id: key }, following: true, storeFollow, userErrors: [] };
}

/** The calling customer stops following their store; unfollowing when not following changes nothing. */
export async function unfollowStore(context: SubgraphContext, storeId: string): Promise<StoreFollowResult> {
  const customer = await requireActiveCustomer(context);
  const key = ownStoreKey(storeId, customer.storeId);
  await context.db.transaction((tx) => removeFollow(tx, key, customer.id));
  return { store: { id: key }, following: false, storeFollow: null, userErrors: [] };
}

export interface StoreFollowUpdateInput {
  storeId: string;
  notifyNewProducts: boolean;
}

/** Changes what the calling customer's follow of their store mails them; NOT_FOLLOWING without a follow. */
export async function updateStoreFollow(
  context: SubgraphContext,
  input: StoreFollowUpdateInput,
): Promise<StoreFollowResult> {
  const customer = await requireActiveCustomer(context);
  const key = ownStoreKey(input.storeId, customer.storeId);
  const [storeFollow] = await context.db.transaction(
    (tx) => tx.$queryRaw<StoreFollow[]>`
      UPDATE "StoreFollow" SET "notifyNewProducts" = ${input.notifyNewProducts}
      WHERE "storeId" = ${key}::uuid AND "customerId" = ${customer.id}::uuid
      RETURNING "storeId"::text AS "storeId", "customerId"::text AS "customerId", "createdAt", "notifyNewProducts"`,
  );
  if (!storeFollow)
    return {
      store: { id: key },
      following: false,
      storeFollow: null,
      userErrors: [
        userError(
          ['input', 'storeId'],
          'You do not follow this store; follow it first (storeFollow).',
          'NOT_FOLLOWING',
        ),
      ],
    };
  return { store: { id: key }, following: true, storeFollow, userErrors: [] };
}

/** Removes a customer's follow of their store, if there is one, counts it off and announces it. */
export async function removeFollow(tx: Transaction, storeId: string, customerId: string): Promise<void> {
  const removed = await tx.storeFollow.deleteMany({ where: { storeId, customerId } });
  if (removed.count === 0) return;
  await tx.$executeRaw`
    UPDATE "StoreFollowerCount" SET "followersCount" = "followersCount" - 1 WHERE "storeId" = ${storeId}::uuid`;
  await announceFollow(tx, 'store.unfollowed', storeId, customerId);
}

/**
 * Announces a follow or unfollow, as the transaction's last step. Both are storefront events:
 * the gateway's cache of anonymous storefront answers holds followersCount.
 */
async function announceFollow(
  tx: Transaction,
  type: 'store.followed' | 'store.unfollowed',
  storeId: string,
  customerId: string,
): Promise<void> {
  await appendOutboxEvent(tx, {
    storeId,
    type,
    aggregateType: 'Store',
    aggregateId: storeId,
    payload: { storeId: toGlobalId('Store', storeId), customerId: toGlobalId('Customer', customerId) },
  });
}

/** The stores a customer account follows: its own store, or none (see the top of this file). */
export async function followedStores(context: SubgraphContext, customer: { id: string; storeId: string }) {
  const follow = await context.loaders.followByCustomer.load(customer.id);
  return follow ? [{ id: customer.storeId }] : [];
}

/** A customer account's follows with their mail choice: its own store's, or none. */
export async function storeFollows(context: SubgraphContext, customer: { id: string }): Promise<StoreFollow[]> {
  const follow = await context.loaders.followByCustomer.load(customer.id);
  return follow ? [follow] : [];
}

/** How many customers follow a store: public in a request for the store, one statement for any number of stores. */
export function followersCount(context: SubgraphContext, store: StoreParent): Promise<number> {
  return context.loaders.followersCountByStore.load(store.id);
}
