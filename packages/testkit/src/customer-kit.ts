// Customer sign-up and log-in operations, wishlists and follows, and the mails the customer
// subgraph sends, for its tests.
import type { MailMessage, PrismaClient } from '@commerce/database';
import type { GraphClient } from './client.js';
import { eventually } from './eventually.js';
import { keyOf, type TestStore } from './seed.js';
import { asOwner, succeed } from './store-kit.js';

export const SIGN_UP = `mutation ($input: CustomerSignUpInput!) {
  customerSignUp(input: $input) { customer { id email firstName lastName } accessToken refreshToken userErrors { field message code } }
}`;

export const LOG_IN = `mutation ($input: CustomerLogInInput!) {
  customerLogIn(input: $input) { customer { id email } accessToken refreshToken userErrors { field message code } }
}`;

/**
 * The newest outbox mail of a store to an address whose subject matches. Some mails (password
 * reset) are sent after the mutation has answered, so this looks again for a few seconds.
 */
export async function waitForMail(
  owner: PrismaClient,
  store: { id: string },
  to: string,
  subject: RegExp,
): Promise<MailMessage> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const mails = await owner.mailMessage.findMany({
      where: { storeId: keyOf(store.id), to: to.toLowerCase() },
      orderBy: { createdAt: 'desc' },
    });
    const mail = mails.find((candidate) => subject.test(candidate.subject));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} with a subject like ${subject}`);
}

/** The token of the link in a verification or reset mail. */
export function tokenFrom(mail: MailMessage): string {
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no token link in: ${mail.text}`);
  return token;
}

/** The mails of a store to an address, oldest first. */
export function mailsTo(owner: PrismaClient, store: { id: string }, to: string): Promise<MailMessage[]> {
  return owner.mailMessage.findMany({
    where: { storeId: keyOf(store.id), to: to.toLowerCase() },
    orderBy: { createdAt: 'asc' },
  });
}

export const WISHLIST_ADD = `mutation ($input: WishlistAddInput!) {
  wishlistAdd(input: $input) {
    wishlistItem { id product { id } variant { id } addedAt }
    guestWishlistToken
    userErrors { field message code }
  }
}`;

export const WISHLIST_REMOVE = `mutation ($itemId: ID!, $token: String) {
  wishlistRemove(itemId: $itemId, guestWishlistToken: $token) { removedItemId userErrors { field message code } }
}`;

export const STORE_FOLLOW = `mutation ($storeId: ID!) {
  storeFollow(storeId: $storeId) { following store { id followersCount } userErrors { field message code } }
}`;

export const STORE_UNFOLLOW = `mutation ($storeId: ID!) {
  storeUnfollow(storeId: $storeId) { following store { id followersCount } userErrors { field message code } }
}`;

export const STORE_FOLLOW_UPDATE = `mutation ($input: StoreFollowUpdateInput!) {
  storeFollowUpdate(input: $input) {
    following storeFollow { store { id } notifyNewProducts } userErrors { field message code }
  }
}`;

/**
 * Waits until the follower mail writer has read every event the store has written (its cursor at
 * the store's event counter): the new-product mails of everything published so far are written.
 */
export async function followerMailCaughtUp(owner: PrismaClient, storeId: string, timeoutMs = 20_000): Promise<void> {
  await eventually(
    'the follower mail writer to catch up',
    async () => {
      const [counter, cursor] = await Promise.all([
        owner.storeCounter.findUniqueOrThrow({ where: { storeId } }),
        owner.followerMailCursor.findUnique({ where: { storeId } }),
      ]);
      return (cursor?.lastSequence ?? 0n) === counter.lastEventSequence;
    },
    timeoutMs,
  );
}

/** Turns the store's wishlists on or off (StoreSettings.wishlistEnabled), as its owner. */
export async function setWishlistsEnabled(
  client: GraphClient,
  store: TestStore,
  wishlistEnabled: boolean,
): Promise<void> {
  await succeed(client, 'storeConfigUpdate', { settings: { wishlistEnabled } }, asOwner(store));
}
