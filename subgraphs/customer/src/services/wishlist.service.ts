import { randomBytes } from 'node:crypto';
import { Prisma, type Customer, type Transaction, type WishlistItem } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import {
  keyOrNull,
  notFound,
  requireStore,
  sqlConnection,
  toGlobalId,
  userError,
  type Connection,
  type PageArgs,
  type SqlSortKey,
  type UserError,
} from '@commerce/graphql-kit';
import type { WishlistErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { requireActiveCustomer } from './customer.service.js';

// A wishlist names products of the catalog's. What the catalog owns is read here in two places
// only (docs/data-ownership.md): whether the product (and variant) can be saved, in the
// transaction that saves it, and, in the statement that pages a wishlist, which saved products
// buyers can still see, so that an archived product leaves wishlists without a hole in a page.
// Prices and stock come from the catalog through the graph.

/** Items a wishlist may hold. */
export const MAX_WISHLIST_ITEMS = 500;

/** Days a guest wishlist is kept after its last change; older ones are gone, as expired anonymous carts are. */
export const GUEST_WISHLIST_DAYS = 90;

/** The condition that a guest wishlist ("Wishlist", unaliased or as w) has not expired. */
const GUEST_ALIVE = Prisma.sql`"updatedAt" > CURRENT_TIMESTAMP - make_interval(days => ${GUEST_WISHLIST_DAYS})`;

/** Expired guest wishlists deleted, at most, each time a guest wishlist is started. */
const EXPIRED_PER_SWEEP = 100;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new guest wishlist id: 32 random bytes, base64url (43 characters); holding it is the right to use the wishlist. */
function newWishlistToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface WishlistAddInput {
  productId: string;
  variantId?: string | null;
  guestWishlistToken?: string | null;
}

export interface WishlistAddResult {
  wishlistItem: WishlistItem | null;
  guestWishlistToken: string | null;
  userErrors: UserError<WishlistErrorCode>[];
}

export interface WishlistRemoveResult {
  removedItemId: string | null;
  userErrors: UserError<WishlistErrorCode>[];
}

/** Whose wishlist a call is about: the signed-in customer's, or a guest's by token (none yet: a new one). */
type Owner = { kind: 'customer'; customer: Customer } | { kind: 'guest'; token: string | null };

const disabled = () => userError<WishlistErrorCode>(null, 'This store has wishlists turned off.', 'WISHLIST_DISABLED');
const guestNotFound = () =>
  userError<WishlistErrorCode>(
    ['guestWishlistToken'],
    'There is no guest wishlist with this token; leave it out to start a new one.',
    'GUEST_WISHLIST_NOT_FOUND',
  );

/**
 * The owner of the wishlist a mutation changes. Customers use their own (a guest token from them
 * is a mistake: theirs merge at log-in); anyone else, sellers included, is a guest.
 */
async function ownerOf(
  context: SubgraphContext,
  token: string | null | undefined,
  field: string[],
): Promise<Owner | UserError<WishlistErrorCode>> {
  if (context.viewer.kind === 'customer') {
    if (token != null)
      return userError(
        field,
        'Signed in, you save to your own wishlist; a guest wishlist merges into it when you log in with its token.',
        'GUEST_TOKEN_NOT_ALLOWED',
      );
    return { kind: 'customer', customer: await requireActiveCustomer(context) };
  }
  if (token == null) return { kind: 'guest', token: null };
  return TOKEN.test(token) ? { kind: 'guest', token } : guestNotFound();
}

async function wishlistsEnabled(tx: Transaction, storeId: string): Promise<boolean> {
  const store = await tx.store.findUnique({ where: { id: storeId }, select: { wishlistEnabled: true } });
  return store?.wishlistEnabled ?? false;
}

/**
 * The id of the customer's wishlist, made on first use, with its row locked until the
 * transaction ends so that changes of one wishlist take turns.
 */
async function lockCustomerWishlist(tx: Transaction, storeId: string, customerId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Wishlist" ("id", "storeId", "customerId") VALUES (${newWishlistToken()}, ${storeId}::uuid, ${customerId}::uuid)
    ON CONFLICT ("storeId", "customerId") DO UPDATE SET "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "id"`;
  if (!row) throw new Error(`No wishlist for customer ${customerId}.`);
  return row.id;
}

/** A guest wishlist's id, locked, when the token names one; null when it does not. */
async function lockGuestWishlist(tx: Transaction, storeId: string, token: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Wishlist" SET "updatedAt" = CURRENT_TIMESTAMP
    WHERE "storeId" = ${storeId}::uuid AND "id" = ${token} AND "customerId" IS NULL AND ${GUEST_ALIVE}
    RETURNING "id"`;
  return row?.id ?? null;
}

/**
 * A new guest wishlist's id. The store's expired guest wishlists go at the same time, a bounded
 * number at once, found by the (storeId, updatedAt) index: nothing else sweeps them.
 */
async function startGuestWishlist(tx: Transaction, storeId: string): Promise<string> {
  await tx.$executeRaw`
    DELETE FROM "Wishlist"
    WHERE "storeId" = ${storeId}::uuid AND "id" IN (
      SELECT "id" FROM "Wishlist"
      WHERE "storeId" = ${storeId}::uuid AND "customerId" IS NULL AND NOT (${GUEST_ALIVE})
      LIMIT ${EXPIRED_PER_SWEEP})`;
  const created = await tx.wishlist.create({ data: { id: newWishlistToken(), storeId }, select: { id: true } });
  return created.id;
}

/** Whether buyers can see the product (it is ACTIVE) and the variant, if one is named, is the product's. */
async function saveable(
  tx: Transaction,
  storeId: string,
  productId: string,
  variantId: string | null,
): Promise<{ product: boolean; variant: boolean }> {
  const [row] = await tx.$queryRaw<{ product: boolean; variant: boolean }[]>`
    SELECT
      EXISTS (SELECT 1 FROM "Product" p
              WHERE p."storeId" = ${storeId}::uuid AND p."id" = ${productId}::uuid AND p."status" = 'ACTIVE') AS "product",
      (${variantId}::uuid IS NULL OR EXISTS (
        SELECT 1 FROM "ProductVariant" v
        WHERE v."storeId" = ${storeId}::uuid AND v."id" = ${variantId}::uuid AND v."productId" = ${productId}::uuid)) AS "variant"`;
  return { product: row?.product ?? false, variant: row?.variant ?? false };
}

/**
 * Saves a product, or one of its variants, to the caller's wishlist. Saving it again answers the
 * item saved before: the wishlist's row is locked while it is looked for, and a unique index
 * (NULLS NOT DISTINCT) backs that up. A new item is announced as wishlist.item_added.
 */
export async function addToWishlist(context: SubgraphContext, input: WishlistAddInput): Promise<WishlistAddResult> {
  const store = requireStore(context);
  const failed = (error: UserError<WishlistErrorCode>): WishlistAddResult => ({
    wishlistItem: null,
    guestWishlistToken: null,
    userErrors: [error],
  });
  const owner = await ownerOf(context, input.guestWishlistToken, ['input', 'guestWishlistToken']);
  if (!('kind' in owner)) return failed({ ...owner, field: ['input', 'guestWishlistToken'] });
  const productId = keyOrNull(input.productId, 'Product');
  if (!productId)
    return failed(userError(['input', 'productId'], 'There is no such product in this store.', 'PRODUCT_NOT_FOUND'));
  const variantId = input.variantId == null ? null : keyOrNull(input.variantId, 'ProductVariant');
  if (input.variantId != null && !variantId)
    return failed(userError(['input', 'variantId'], 'The product has no such variant.', 'VARIANT_NOT_FOUND'));

  return context.db.transaction(async (tx): Promise<WishlistAddResult> => {
    if (!(await wishlistsEnabled(tx, store.id))) return failed(disabled());
    const found = await saveable(tx, store.id, productId, variantId);
    if (!found.product)
      return failed(
        userError(['input', 'productId'], 'There is no such product for sale in this store.', 'PRODUCT_NOT_FOUND'),
      );
    if (!found.variant)
      return failed(userError(['input', 'variantId'], 'The product has no such variant.', 'VARIANT_NOT_FOUND'));

    let wishlistId: string;
    if (owner.kind === 'customer') wishlistId = await lockCustomerWishlist(tx, store.id, owner.customer.id);
    else if (owner.token === null) wishlistId = await startGuestWishlist(tx, store.id);
    else {
      const locked = await lockGuestWishlist(tx, store.id, owner.token);
      if (!locked) return failed({ ...guestNotFound(), field: ['input', 'guestWishlistToken'] });
      wishlistId = locked;
    }
    const guestWishlistToken = owner.kind === 'guest' ? wishlistId : null;

    const existing = await tx.wishlistItem.findFirst({
      where: { storeId: store.id, wishlistId, productId, variantId },
    });
    if (existing) return { wishlistItem: existing, guestWishlistToken, userErrors: [] };
    const count = await tx.wishlistItem.count({ where: { storeId: store.id, wishlistId } });
    if (count >= MAX_WISHLIST_ITEMS)
      return failed(
        userError(null, `A wishlist holds at most ${MAX_WISHLIST_ITEMS} items; remove one first.`, 'LIMIT_REACHED'),
      );
    const item = await tx.wishlistItem.create({ data: { storeId: store.id, wishlistId, productId, variantId } });
    await appendOutboxEvent(tx, {
      storeId: store.id,
      type: 'wishlist.item_added',
      aggregateType: 'WishlistItem',
      aggregateId: item.id,
      payload: {
        wishlistItemId: toGlobalId('WishlistItem', item.id),
        productId: toGlobalId('Product', productId),
        variantId: variantId === null ? null : toGlobalId('ProductVariant', variantId),
        customerId: owner.kind === 'customer' ? toGlobalId('Customer', owner.customer.id) : null,
      },
    });
    return { wishlistItem: item, guestWishlistToken, userErrors: [] };
  });
}

/** Removes an item of the caller's wishlist; NOT_FOUND for an item of anyone else's. */
export async function removeFromWishlist(
  context: SubgraphContext,
  itemId: string,
  guestWishlistToken: string | null | undefined,
): Promise<WishlistRemoveResult> {
  const store = requireStore(context);
  const failed = (error: UserError<WishlistErrorCode>): WishlistRemoveResult => ({
    removedItemId: null,
    userErrors: [error],
  });
  const owner = await ownerOf(context, guestWishlistToken, ['guestWishlistToken']);
  if (!('kind' in owner)) return failed(owner);
  if (owner.kind === 'guest' && owner.token === null)
    return failed(
      userError(
        ['guestWishlistToken'],
        'Send the token of your guest wishlist, or sign in.',
        'GUEST_WISHLIST_NOT_FOUND',
      ),
    );
  const key = keyOrNull(itemId, 'WishlistItem');
  if (!key) throw notFound(`Wishlist item "${itemId}"`);
  return context.db.transaction(async (tx): Promise<WishlistRemoveResult> => {
    if (!(await wishlistsEnabled(tx, store.id))) return failed(disabled());
    const wishlistId =
      owner.kind === 'customer'
        ? (
            await tx.wishlist.findUnique({
              where: { storeId_customerId: { storeId: store.id, customerId: owner.customer.id } },
              select: { id: true },
            })
          )?.id
        : await lockGuestWishlist(tx, store.id, owner.token ?? '');
    if (!wishlistId) {
      if (owner.kind === 'guest') return failed(guestNotFound());
      throw notFound(`Wishlist item "${itemId}"`);
    }
    const removed = await tx.wishlistItem.deleteMany({ where: { storeId: store.id, id: key, wishlistId } });
    if (removed.count === 0) throw notFound(`Wishlist item "${itemId}"`);
    return { removedItemId: toGlobalId('WishlistItem', key), userErrors: [] };
  });
}

/**
 * Moves a guest wishlist's items into the customer's wishlist and deletes the guest wishlist, in
 * the caller's transaction (the log-in's or sign-up's). Items the customer saved already stay
 * once; items past MAX_WISHLIST_ITEMS, newest first, are left out. A token that names no guest
 * wishlist changes nothing.
 */
export async function mergeGuestWishlist(
  tx: Transaction,
  storeId: string,
  customerId: string,
  token: string | null | undefined,
): Promise<boolean> {
  if (token == null || !TOKEN.test(token)) return false;
  const [guest] = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Wishlist"
    WHERE "storeId" = ${storeId}::uuid AND "id" = ${token} AND "customerId" IS NULL AND ${GUEST_ALIVE}
    FOR UPDATE`;
  if (!guest) return false;
  const target = await lockCustomerWishlist(tx, storeId, customerId);
  const room = MAX_WISHLIST_ITEMS - (await tx.wishlistItem.count({ where: { storeId, wishlistId: target } }));
  if (room > 0) {
    await tx.$queryRaw`
      INSERT INTO "WishlistItem" ("storeId", "wishlistId", "productId", "variantId", "createdAt")
      SELECT g."storeId", ${target}, g."productId", g."variantId", g."createdAt"
      FROM "WishlistItem" g
      WHERE g."storeId" = ${storeId}::uuid AND g."wishlistId" = ${guest.id}
      ORDER BY g."createdAt" DESC, g."id" DESC
      LIMIT ${room}
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
  }
  await tx.wishlist.delete({ where: { storeId_id: { storeId, id: guest.id } } });
  return true;
}

/** The signed-in customer takes a guest wishlist's items over (as at log-in). */
export async function mergeIntoCustomerWishlist(
  context: SubgraphContext,
  token: string,
): Promise<{ customer: Customer | null; userErrors: UserError<WishlistErrorCode>[] }> {
  const customer = await requireActiveCustomer(context);
  return context.db.transaction(async (tx) => {
    if (!(await wishlistsEnabled(tx, customer.storeId))) return { customer: null, userErrors: [disabled()] };
    if (!(await mergeGuestWishlist(tx, customer.storeId, customer.id, token)))
      return { customer: null, userErrors: [guestNotFound()] };
    return { customer, userErrors: [] };
  });
}

/** Removes the customer's wishlist (an account being deleted). */
export async function deleteCustomerWishlist(tx: Transaction, storeId: string, customerId: string): Promise<void> {
  await tx.wishlist.deleteMany({ where: { storeId, customerId } });
}

const NEWEST_FIRST: SqlSortKey<WishlistItem> = {
  field: 'createdAt',
  kind: 'date',
  value: (item) => item.createdAt,
  descending: true,
  sql: { value: Prisma.sql`i."createdAt"`, id: Prisma.sql`i."id"` },
};

/**
 * A page of a wishlist, newest first, in one statement: items of products buyers can see (ACTIVE)
 * and of variants that still exist; nothing while the store has wishlists turned off.
 */
function wishlistPage(
  context: SubgraphContext,
  storeId: string,
  owner: Prisma.Sql,
  args: PageArgs,
): Promise<Connection<WishlistItem>> {
  const shown = Prisma.sql`
    FROM "WishlistItem" i
    JOIN "Wishlist" w ON w."storeId" = i."storeId" AND w."id" = i."wishlistId"
    JOIN "Product" p ON p."storeId" = i."storeId" AND p."id" = i."productId"
    WHERE i."storeId" = ${storeId}::uuid AND ${owner} AND p."status" = 'ACTIVE'
      AND (i."variantId" IS NULL OR EXISTS (
        SELECT 1 FROM "ProductVariant" v
        WHERE v."storeId" = ${storeId}::uuid AND v."id" = i."variantId" AND v."productId" = i."productId"))
      AND EXISTS (SELECT 1 FROM "Store" s WHERE s."id" = ${storeId}::uuid AND s."wishlistEnabled")`;
  return sqlConnection({
    args,
    sort: NEWEST_FIRST,
    fetch: (keyset) =>
      context.db.read(
        (tx) => tx.$queryRaw<WishlistItem[]>`
          SELECT i."id"::text AS "id", i."storeId"::text AS "storeId", i."wishlistId", i."productId"::text AS "productId",
                 i."variantId"::text AS "variantId", i."createdAt"
          ${shown} AND ${keyset.where}
          ORDER BY ${keyset.orderBy}
          LIMIT ${keyset.limit}`,
      ),
    count: async () => {
      const [row] = await context.db.read(
        (tx) => tx.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" ${shown}`,
      );
      return row?.count ?? 0;
    },
  });
}

/** A customer's wishlist, for whoever may see the customer (themself, staff with the customers permission). */
export function customerWishlist(
  context: SubgraphContext,
  customer: Customer,
  args: PageArgs,
): Promise<Connection<WishlistItem>> {
  return wishlistPage(context, customer.storeId, Prisma.sql`w."customerId" = ${customer.id}::uuid`, args);
}

/** A guest's wishlist by its token; empty for a token that names none. */
export function guestWishlist(
  context: SubgraphContext,
  token: string,
  args: PageArgs,
): Promise<Connection<WishlistItem>> {
  const store = requireStore(context);
  const known = TOKEN.test(token) ? token : '';
  return wishlistPage(
    context,
    store.id,
    Prisma.sql`w."id" = ${known} AND w."customerId" IS NULL AND w.${GUEST_ALIVE}`,
    args,
  );
}
