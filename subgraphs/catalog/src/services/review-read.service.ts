// What storefronts and staff read of reviews: a product's rating from its row, its reviews as a
// connection. Storefronts and customers see PUBLISHED reviews only; nothing shows when the store
// has turned reviews off.
import type { Prisma, Product, ProductReview } from '@commerce/database';
import {
  badUserInput,
  forbidden,
  keyOrNull,
  prismaConnection,
  prismaSortKey,
  type Connection,
  type PageArgs,
  type PrismaSortKey,
} from '@commerce/graphql-kit';
import type { ProductReviewFilter, ProductReviewSortKeys } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { seesUnpublishedReviews } from './review.service.js';

export interface ReviewListArgs extends PageArgs {
  sortKey?: ProductReviewSortKeys | null;
  filter?: ProductReviewFilter | null;
}

const SORT_KEYS = {
  NEWEST: prismaSortKey({
    field: 'createdAt',
    kind: 'date',
    descending: true,
    value: (review: ProductReview) => review.createdAt,
  }),
  HIGHEST: prismaSortKey({
    field: 'rating',
    kind: 'number',
    descending: true,
    value: (review: ProductReview) => review.rating,
  }),
  LOWEST: prismaSortKey({ field: 'rating', kind: 'number', value: (review: ProductReview) => review.rating }),
  MOST_HELPFUL: prismaSortKey({
    field: 'helpfulCount',
    kind: 'number',
    descending: true,
    value: (review: ProductReview) => review.helpfulCount,
  }),
};

const EMPTY_PAGE = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

/** A connection with nothing in it (reviews or questions of a store that turned them off). */
export function emptyConnection<Row>(): Connection<Row> {
  return { edges: [], nodes: [], pageInfo: EMPTY_PAGE, totalCount: () => Promise.resolve(0) };
}

/** Whether the product's store shows reviews and questions (read with the product in listings). */
export async function reviewsShown(context: SubgraphContext, product: Product): Promise<boolean> {
  return (await context.loaders.reviewSettings.load(product.storeId)).enabled;
}

/**
 * The statuses the caller may list: PUBLISHED for storefronts and customers (FORBIDDEN when they
 * ask for another), the one asked for or all for staff who may read products.
 */
export async function listedStatuses(
  context: SubgraphContext,
  asked: string | null | undefined,
  field: string[],
): Promise<string[] | null> {
  if (await seesUnpublishedReviews(context)) return asked ? [asked] : null;
  if (asked && asked !== 'PUBLISHED')
    throw forbidden(`Only staff who may read products see what is not published (${field.join('.')}).`);
  return ['PUBLISHED'];
}

/** The product's rating figures (the resolver's parent), or null when the store has turned reviews off. */
export async function productRating(context: SubgraphContext, product: Product): Promise<Product | null> {
  return (await reviewsShown(context, product)) ? product : null;
}

/** Mean stars of the published reviews to two decimals; null without any. */
export function ratingAverage(product: Product): number | null {
  return product.ratingCount === 0 ? null : Math.round((product.ratingSum * 100) / product.ratingCount) / 100;
}

/** Published reviews per number of stars, 5 down to 1. */
export function ratingDistribution(product: Product): { rating: number; count: number }[] {
  const counts = [
    product.ratingCount1,
    product.ratingCount2,
    product.ratingCount3,
    product.ratingCount4,
    product.ratingCount5,
  ];
  return [5, 4, 3, 2, 1].map((rating) => ({ rating, count: counts[rating - 1] ?? 0 }));
}

/** A page of a product's reviews in the order asked for (newest first unless told). */
export async function listReviews(
  context: SubgraphContext,
  product: Product,
  args: ReviewListArgs,
): Promise<Connection<ProductReview>> {
  if (!(await reviewsShown(context, product))) return emptyConnection();
  const rating = args.filter?.rating;
  if (rating != null && (!Number.isInteger(rating) || rating < 1 || rating > 5))
    throw badUserInput('filter.rating is a number of stars from 1 to 5.', ['filter', 'rating']);
  const statuses = await listedStatuses(context, args.filter?.status, ['filter', 'status']);
  const where: Prisma.ProductReviewWhereInput = {
    storeId: product.storeId,
    productId: product.id,
    ...(statuses ? { status: { in: statuses } } : {}),
    ...(rating != null ? { rating } : {}),
  };
  // One call per key, so that each key's filter and order keep their own types.
  const connection = <
    Where extends Prisma.ProductReviewWhereInput,
    OrderBy extends Prisma.ProductReviewOrderByWithRelationInput,
  >(
    sort: PrismaSortKey<ProductReview, Where, OrderBy>,
  ) =>
    prismaConnection({
      args,
      sort,
      fetch: (page) => context.db.read((tx) => tx.productReview.findMany(page.findManyArgs(where))),
      count: () => context.db.read((tx) => tx.productReview.count({ where })),
    });
  switch (args.sortKey ?? 'NEWEST') {
    case 'HIGHEST':
      return connection(SORT_KEYS.HIGHEST);
    case 'LOWEST':
      return connection(SORT_KEYS.LOWEST);
    case 'MOST_HELPFUL':
      return connection(SORT_KEYS.MOST_HELPFUL);
    default:
      return connection(SORT_KEYS.NEWEST);
  }
}

/** The review an entity reference (or `node`) names, if the caller may see it. */
export async function findReview(context: SubgraphContext, id: string): Promise<ProductReview | null> {
  const key = keyOrNull(id, 'ProductReview');
  const review = key === null ? null : await context.loaders.reviewById.load(key);
  if (!review) return null;
  const product = await context.loaders.productById.load(review.productId);
  if (!product || !(await reviewsShown(context, product))) return null;
  if (review.status === 'PUBLISHED' && product.status === 'ACTIVE') return review;
  return (await seesUnpublishedReviews(context)) ? review : null;
}

/** The product a review or question is about (the row exists: its reviews go with it). */
export async function productOf(context: SubgraphContext, productId: string): Promise<Product> {
  const product = await context.loaders.productById.load(productId);
  if (!product) throw new Error(`Product ${productId} is missing.`);
  return product;
}
