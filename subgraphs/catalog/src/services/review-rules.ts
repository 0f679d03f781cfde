// The rules reviews, questions and answers share: plain text within limits, a posting rate per
// customer, the name shown with what a customer writes, and the product's rating figures.
import { Prisma, type Transaction } from '@commerce/database';
import type { InputErrors } from '@commerce/graphql-kit';
import type { ProductReviewErrorCode } from '../__generated__/resolvers-types.js';

export const TEXT_LIMITS = { title: 120, body: 5000, question: 1000, answer: 2000, reply: 2000 } as const;

/** How many reviews, questions and answers one customer may write in an hour. */
export const POSTS_PER_HOUR = 10;

// An opening or closing tag, a comment or a doctype: "<b>", "</p>", "<!--", "<img src=…>". A
// lone "<" as in "size < 40" or "<3" is text.
const MARKUP = /<\s*[/!?]?\s*[a-zA-Z][^>]*>|<!--/;

/** Whether text contains HTML markup (which is refused, not stripped: what was written is what shows). */
export function containsHtml(text: string): boolean {
  return MARKUP.test(text);
}

/** Checks a plain-text field: present and not blank, at most `max` characters, no markup. */
export function checkPlainText(
  errors: InputErrors<ProductReviewErrorCode>,
  field: string[],
  value: string | null | undefined,
  max: number,
): void {
  const before = errors.errors.length;
  errors.text(field, value, max);
  if (errors.errors.length === before && value != null && containsHtml(value))
    errors.add(field, 'Write plain text: HTML markup is not allowed.', 'CONTAINS_HTML');
}

/** Checks a star rating: a whole number from 1 to 5. */
export function checkRating(errors: InputErrors<ProductReviewErrorCode>, field: string[], rating: number): void {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) errors.add(field, 'Give 1 to 5 stars.', 'INVALID');
}

/**
 * Whether the customer may write one more review, question or answer now. Their writers take turns
 * (a lock for the customer until the transaction ends), so concurrent requests cannot all pass.
 */
export async function withinPostingRate(tx: Transaction, storeId: string, customerId: string): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`engagement:${storeId}:${customerId}`}, 0))`;
  const since = Prisma.sql`now() - interval '1 hour'`;
  const store = Prisma.sql`${storeId}::uuid`;
  const customer = Prisma.sql`${customerId}::uuid`;
  const [row] = await tx.$queryRaw<{ posts: number }[]>`
    SELECT (
      (SELECT count(*) FROM "ProductReview" WHERE "storeId" = ${store} AND "customerId" = ${customer} AND "createdAt" > ${since})
      + (SELECT count(*) FROM "ProductQuestion" WHERE "storeId" = ${store} AND "customerId" = ${customer} AND "createdAt" > ${since})
      + (SELECT count(*) FROM "ProductAnswer" WHERE "storeId" = ${store} AND "customerId" = ${customer} AND "createdAt" > ${since})
    )::int AS posts`;
  return (row?.posts ?? 0) < POSTS_PER_HOUR;
}

/**
 * The name shown with what a customer writes: first name and last initial ("Ada L."), read from
 * their account in the same transaction; null when the account is gone or not active.
 */
export async function authorNameOf(tx: Transaction, storeId: string, customerId: string): Promise<string | null> {
  const customer = await tx.customer.findUnique({
    where: { storeId_id: { storeId, id: customerId } },
    select: { firstName: true, lastName: true, status: true },
  });
  if (customer?.status !== 'ACTIVE') return null;
  const initial = customer.lastName.trim().charAt(0);
  const name = [customer.firstName.trim(), initial ? `${initial.toUpperCase()}.` : ''].filter(Boolean).join(' ');
  return name || 'Customer';
}

/** A review as it counts in its product's figures: its stars when PUBLISHED, nothing otherwise. */
export interface CountedReview {
  status: string;
  rating: number;
}

/**
 * Moves a product's rating figures from a review's old state to its new one (either may be null:
 * created, deleted), in one UPDATE of the product row: concurrent reviews queue on the row lock,
 * so the figures stay exact. Nothing is written when neither state is published.
 */
export async function recountRating(
  tx: Transaction,
  storeId: string,
  productId: string,
  before: CountedReview | null,
  after: CountedReview | null,
): Promise<void> {
  const perStar = [0, 0, 0, 0, 0];
  let count = 0;
  let sum = 0;
  for (const [review, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (review?.status !== 'PUBLISHED') continue;
    perStar[review.rating - 1] = (perStar[review.rating - 1] ?? 0) + sign;
    count += sign;
    sum += sign * review.rating;
  }
  if (count === 0 && sum === 0 && perStar.every((delta) => delta === 0)) return;
  const [one, two, three, four, five] = perStar;
  await tx.$executeRaw`
    UPDATE "Product" SET
      "ratingCount" = "ratingCount" + ${count}::int, "ratingSum" = "ratingSum" + ${sum}::int,
      "ratingCount1" = "ratingCount1" + ${one}::int, "ratingCount2" = "ratingCount2" + ${two}::int,
      "ratingCount3" = "ratingCount3" + ${three}::int, "ratingCount4" = "ratingCount4" + ${four}::int,
      "ratingCount5" = "ratingCount5" + ${five}::int
    WHERE "storeId" = ${storeId}::uuid AND "id" = ${productId}::uuid`;
}
