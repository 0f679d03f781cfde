// The events the catalog announces of what storefronts read: every transaction that changes a
// product (with its options, variants, images, categories and starting stock), a category or an
// inventory location appends one, as its last step (the outbox keeps the store's counter row
// locked until commit). Gateways drop the store's cached storefront answers when they hear of it;
// changes of stock levels announce themselves as inventory.updated (@commerce/inventory).
import type { Transaction } from '@commerce/database';
import { appendOutboxEvents } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';

// product.published is not a storefront event: the product.created or product.updated of the
// same transaction already tells caches; it marks the product's first activation (publishedAt),
// which its followers' mail is written from.
export type ProductEventType = 'product.created' | 'product.updated' | 'product.deleted' | 'product.published';
export type CategoryEventType = 'category.created' | 'category.updated' | 'category.deleted';
export type LocationEventType = 'location.created' | 'location.updated';

/** Announces a change of a product (its options, variants, images and categories included); several types in one statement. */
export async function announceProduct(
  tx: Transaction,
  storeId: string,
  type: ProductEventType | readonly ProductEventType[],
  productId: string,
): Promise<void> {
  const types: readonly ProductEventType[] = typeof type === 'string' ? [type] : type;
  await appendOutboxEvents(
    tx,
    types.map((each) => ({
      storeId,
      type: each,
      aggregateType: 'Product',
      aggregateId: productId,
      payload: { productId: toGlobalId('Product', productId) },
    })),
  );
}

/** Announces a change of a category (a product's membership in it is the product's change). */
export async function announceCategory(
  tx: Transaction,
  storeId: string,
  type: CategoryEventType,
  categoryId: string,
): Promise<void> {
  await appendOutboxEvents(tx, [
    {
      storeId,
      type,
      aggregateType: 'Category',
      aggregateId: categoryId,
      payload: { categoryId: toGlobalId('Category', categoryId) },
    },
  ]);
}

/** Announces a change of an inventory location (its name, whether it is active or the default). */
export async function announceLocation(
  tx: Transaction,
  storeId: string,
  type: LocationEventType,
  locationId: string,
): Promise<void> {
  await appendOutboxEvents(tx, [
    {
      storeId,
      type,
      aggregateType: 'InventoryLocation',
      aggregateId: locationId,
      payload: { locationId: toGlobalId('InventoryLocation', locationId) },
    },
  ]);
}

export type ReviewEventType = 'review.created' | 'review.updated' | 'review.deleted';
export type QuestionEventType = 'question.asked' | 'question.updated' | 'question.answered';

/** Announces a review written, changed (by its author or by moderation) or deleted, with the figures webhooks need. */
export async function announceReview(
  tx: Transaction,
  storeId: string,
  type: ReviewEventType,
  review: { id: string; productId: string; rating: number; status: string; verifiedBuyer: boolean },
): Promise<void> {
  await appendOutboxEvents(tx, [
    {
      storeId,
      type,
      aggregateType: 'ProductReview',
      aggregateId: review.id,
      payload: {
        reviewId: toGlobalId('ProductReview', review.id),
        productId: toGlobalId('Product', review.productId),
        rating: review.rating,
        status: review.status,
        verifiedBuyer: review.verifiedBuyer,
      },
    },
  ]);
}

/** Announces a question asked, moderated or answered (answerId for question.answered and answers moderated). */
export async function announceQuestion(
  tx: Transaction,
  storeId: string,
  type: QuestionEventType,
  question: { id: string; productId: string; status: string },
  answerId?: string,
): Promise<void> {
  await appendOutboxEvents(tx, [
    {
      storeId,
      type,
      aggregateType: 'ProductQuestion',
      aggregateId: question.id,
      payload: {
        questionId: toGlobalId('ProductQuestion', question.id),
        productId: toGlobalId('Product', question.productId),
        status: question.status,
        ...(answerId ? { answerId: toGlobalId('ProductAnswer', answerId) } : {}),
      },
    },
  ]);
}
