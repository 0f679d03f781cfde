import { toGlobalId } from '@commerce/graphql-kit';
import type { CategoryResolvers } from '../__generated__/resolvers-types.js';
import { findCategory, parentOf } from '../services/category.service.js';

export const Category: CategoryResolvers = {
  __resolveReference: (reference, context) => findCategory(context, reference.id),
  id: (category) => toGlobalId('Category', category.id),
  parent: (category, _args, context) => parentOf(context, category),
};
