import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductReviewResolvers } from '../__generated__/resolvers-types.js';
import { findReview, productOf } from '../services/review-read.service.js';

export const ProductReview: ProductReviewResolvers = {
  __resolveReference: (reference, context) => findReview(context, reference.id),
  id: (review) => toGlobalId('ProductReview', review.id),
  product: (review, _args, context) => productOf(context, review.productId),
  status: (review) => review.status as 'PENDING' | 'PUBLISHED' | 'HIDDEN',
};
