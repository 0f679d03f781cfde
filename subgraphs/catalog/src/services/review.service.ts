// Product reviews: a customer writes one per product, its author changes or deletes it, staff
// moderate and reply, customers mark reviews helpful. Every change that moves a review in or out
// of PUBLISHED, or changes a published review's stars, moves the product's rating figures in the
// same transaction (recountRating), and announces itself on the outbox.
import { randomUUID } from 'node:crypto';
import type { ProductReview, Transaction } from '@commerce/database';
import {
  forbidden,
  hasPermission,
  InputErrors,
  keyOf,
  notFound,
  requireCustomer,
  requirePermission,
  toGlobalId,
  userError,
  violatesUniqueIndex,
  type RequestContext,
  type UserError,
} from '@commerce/graphql-kit';
import { hasBoughtProduct } from '@commerce/purchases';
import type {
  ProductReviewCreateInput,
  ProductReviewErrorCode,
  ProductReviewModerateInput,
  ProductReviewUpdateInput,
} from '../__generated__/resolvers-types.js';
import { announceReview } from './catalog-events.js';
import { storeReviewSettings } from './review-settings.js';
import {
  authorNameOf,
  checkPlainText,
  checkRating,
  POSTS_PER_HOUR,
  recountRating,
  TEXT_LIMITS,
  withinPostingRate,
} from './review-rules.js';

type Errors = UserError<ProductReviewErrorCode>[];

export interface ReviewResult {
  review: ProductReview | null;
  userErrors: Errors;
}

export interface ReviewDeleteResult {
  deletedReviewId: string | null;
  userErrors: Errors;
}

const failed = (userErrors: Errors): ReviewResult => ({ review: null, userErrors });

export const REVIEWS_DISABLED = userError<ProductReviewErrorCode>(
  null,
  'This store does not take reviews or questions.',
  'REVIEWS_DISABLED',
);

export const THROTTLED = userError<ProductReviewErrorCode>(
  null,
  `At most ${POSTS_PER_HOUR} reviews, questions and answers an hour; try again later.`,
  'THROTTLED',
);

/** The review, locked until the transaction ends so that its figures move once per change. */
async function lockedReview(tx: Transaction, storeId: string, reviewId: string): Promise<ProductReview | null> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id"::text FROM "ProductReview" WHERE "storeId" = ${storeId}::uuid AND "id" = ${reviewId}::uuid FOR UPDATE`;
  if (!locked) return null;
  return tx.productReview.findUnique({ where: { storeId_id: { storeId, id: reviewId } } });
}

/** Whether the product exists in the store and is for sale (customers review and ask about those only). */
export async function isActiveProduct(tx: Transaction, storeId: string, productId: string): Promise<boolean> {
  const product = await tx.product.findUnique({
    where: { storeId_id: { storeId, id: productId } },
    select: { status: true },
  });
  return product?.status === 'ACTIVE';
}

/** Writes a signed-in customer's review of a product; one per customer and product, even under concurrency. */
export async function createReview(context: RequestContext, input: ProductReviewCreateInput): Promise<ReviewResult> {
  const { customerId, storeId } = requireCustomer(context);
  const productId = keyOf(input.productId, 'Product', ['input', 'productId']);
  const errors = new InputErrors<ProductReviewErrorCode>();
  checkRating(errors, ['input', 'rating'], input.rating);
  checkPlainText(errors, ['input', 'title'], input.title, TEXT_LIMITS.title);
  checkPlainText(errors, ['input', 'body'], input.body, TEXT_LIMITS.body);
  if (!errors.ok) return failed(errors.errors);
  try {
    return await context.db.transaction(async (tx) => {
      const settings = await storeReviewSettings(tx, storeId);
      if (!settings.enabled) return failed([REVIEWS_DISABLED]);
      if (!(await isActiveProduct(tx, storeId, productId))) throw notFound(`Product "${input.productId}"`);
      const authorName = await authorNameOf(tx, storeId, customerId);
      if (authorName === null) throw forbidden('This customer account cannot write reviews.');
      if (!(await withinPostingRate(tx, storeId, customerId))) return failed([THROTTLED]);
      const review = await tx.productReview.create({
        data: {
          id: randomUUID(),
          storeId,
          productId,
          customerId,
          authorName,
          rating: input.rating,
          title: input.title.trim(),
          body: input.body.trim(),
          status: settings.moderated ? 'PENDING' : 'PUBLISHED',
          verifiedBuyer: await hasBoughtProduct(tx, storeId, customerId, productId),
        },
      });
      await recountRating(tx, storeId, productId, null, review);
      await announceReview(tx, storeId, 'review.created', review);
      return { review, userErrors: [] };
    });
  } catch (error) {
    if (!violatesUniqueIndex(error, 'ProductReview_storeId_productId_customerId_key', ['productId', 'customerId']))
      throw error;
    return failed([
      userError(
        ['input', 'productId'],
        'You have already reviewed this product; change that review instead.',
        'ALREADY_REVIEWED',
      ),
    ]);
  }
}

/** The author changes their review; the verified-buyer mark is checked again, and a moderating store reviews it again. */
export async function updateReview(context: RequestContext, input: ProductReviewUpdateInput): Promise<ReviewResult> {
  const { customerId, storeId } = requireCustomer(context);
  const reviewId = keyOf(input.reviewId, 'ProductReview', ['input', 'reviewId']);
  const errors = new InputErrors<ProductReviewErrorCode>();
  if (input.rating !== undefined) {
    if (input.rating === null) errors.add(['input', 'rating'], 'Give 1 to 5 stars, or leave the field out.', 'BLANK');
    else checkRating(errors, ['input', 'rating'], input.rating);
  }
  if (input.title !== undefined) checkPlainText(errors, ['input', 'title'], input.title, TEXT_LIMITS.title);
  if (input.body !== undefined) checkPlainText(errors, ['input', 'body'], input.body, TEXT_LIMITS.body);
  if (!errors.ok) return failed(errors.errors);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled) return failed([REVIEWS_DISABLED]);
    const before = await lockedReview(tx, storeId, reviewId);
    // Someone else's review is as absent as a missing one: its existence is not the caller's business.
    if (!before || before.customerId !== customerId) throw notFound(`Review "${input.reviewId}"`);
    const review = await tx.productReview.update({
      where: { storeId_id: { storeId, id: reviewId } },
      data: {
        rating: input.rating ?? undefined,
        title: input.title?.trim(),
        body: input.body?.trim(),
        status: settings.moderated ? 'PENDING' : before.status,
        verifiedBuyer: await hasBoughtProduct(tx, storeId, customerId, before.productId),
      },
    });
    await recountRating(tx, storeId, review.productId, before, review);
    await announceReview(tx, storeId, 'review.updated', review);
    return { review, userErrors: [] };
  });
}

/** Deletes a review: its author, or staff who may manage products. */
export async function deleteReview(context: RequestContext, reviewGlobalId: string): Promise<ReviewDeleteResult> {
  const reviewId = keyOf(reviewGlobalId, 'ProductReview', ['reviewId']);
  const staff = context.viewer.kind !== 'customer' ? await requirePermission(context, 'MANAGE_PRODUCTS') : null;
  const { storeId, customerId } = staff ? { storeId: staff.storeId, customerId: null } : requireCustomer(context);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled && !staff) return { deletedReviewId: null, userErrors: [REVIEWS_DISABLED] };
    const before = await lockedReview(tx, storeId, reviewId);
    if (!before || (customerId !== null && before.customerId !== customerId))
      throw notFound(`Review "${reviewGlobalId}"`);
    await tx.productReview.delete({ where: { storeId_id: { storeId, id: reviewId } } });
    await recountRating(tx, storeId, before.productId, before, null);
    await announceReview(tx, storeId, 'review.deleted', before);
    return { deletedReviewId: toGlobalId('ProductReview', reviewId), userErrors: [] };
  });
}

/** Staff publish, hide or requeue a review and set or remove the store's reply. */
export async function moderateReview(
  context: RequestContext,
  input: ProductReviewModerateInput,
): Promise<ReviewResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const reviewId = keyOf(input.reviewId, 'ProductReview', ['input', 'reviewId']);
  const errors = new InputErrors<ProductReviewErrorCode>();
  if (input.status === null) errors.add(['input', 'status'], 'Give a status, or leave the field out.', 'BLANK');
  const reply = input.reply?.trim();
  if (reply) checkPlainText(errors, ['input', 'reply'], reply, TEXT_LIMITS.reply);
  if (!errors.ok) return failed(errors.errors);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled) return failed([REVIEWS_DISABLED]);
    const before = await lockedReview(tx, storeId, reviewId);
    if (!before) throw notFound(`Review "${input.reviewId}"`);
    const replyChange =
      input.reply === undefined || input.reply === null
        ? {}
        : reply
          ? { reply, repliedAt: new Date() }
          : { reply: null, repliedAt: null };
    const review = await tx.productReview.update({
      where: { storeId_id: { storeId, id: reviewId } },
      data: { status: input.status ?? undefined, ...replyChange },
    });
    await recountRating(tx, storeId, review.productId, before, review);
    await announceReview(tx, storeId, 'review.updated', review);
    return { review, userErrors: [] };
  });
}

/** A customer marks a published review helpful, once; the count is exact under concurrency. */
export async function markReviewHelpful(context: RequestContext, reviewGlobalId: string): Promise<ReviewResult> {
  const { customerId, storeId } = requireCustomer(context);
  const reviewId = keyOf(reviewGlobalId, 'ProductReview', ['reviewId']);
  return context.db.transaction(async (tx) => {
    const settings = await storeReviewSettings(tx, storeId);
    if (!settings.enabled) return failed([REVIEWS_DISABLED]);
    const review = await tx.productReview.findUnique({ where: { storeId_id: { storeId, id: reviewId } } });
    if (review?.status !== 'PUBLISHED') throw notFound(`Review "${reviewGlobalId}"`);
    if (review.customerId === customerId)
      return failed([userError(['reviewId'], 'You cannot mark your own review helpful.', 'OWN_REVIEW')]);
    // The vote's primary key makes a second one, even a concurrent one, insert nothing.
    const inserted = await tx.$queryRaw<{ reviewId: string }[]>`
      INSERT INTO "ProductReviewVote" ("storeId", "reviewId", "customerId")
      VALUES (${storeId}::uuid, ${reviewId}::uuid, ${customerId}::uuid)
      ON CONFLICT DO NOTHING
      RETURNING "reviewId"::text`;
    if (inserted.length === 0)
      return failed([userError(['reviewId'], 'You have already marked this review helpful.', 'ALREADY_MARKED')]);
    const counted = await tx.productReview.update({
      where: { storeId_id: { storeId, id: reviewId } },
      data: { helpfulCount: { increment: 1 } },
    });
    // Storefronts show and sort by the count: their cached answers must go.
    await announceReview(tx, storeId, 'review.updated', counted);
    return { review: counted, userErrors: [] };
  });
}

/** Whether the caller sees reviews and questions in every status (staff who may read products). */
export function seesUnpublishedReviews(context: RequestContext): Promise<boolean> {
  return hasPermission(context, 'READ_PRODUCTS');
}
