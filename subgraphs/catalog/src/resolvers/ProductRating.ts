import type { ProductRatingResolvers } from '../__generated__/resolvers-types.js';
import { ratingAverage, ratingDistribution } from '../services/review-read.service.js';

export const ProductRating: ProductRatingResolvers = {
  average: (product) => ratingAverage(product),
  count: (product) => product.ratingCount,
  distribution: (product) => ratingDistribution(product),
};
