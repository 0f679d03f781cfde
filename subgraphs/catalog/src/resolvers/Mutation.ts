import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createCategory } from '../services/category.service.js';
import { createProduct } from '../services/product.service.js';

export const Mutation: MutationResolvers = {
  productCreate: (_parent, { input }, context) => createProduct(context, input),
  categoryCreate: (_parent, { input }, context) => createCategory(context, input),
};
