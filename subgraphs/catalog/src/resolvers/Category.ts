import { toGlobalId } from '@commerce/graphql-kit';
import type { CategoryResolvers } from '../__generated__/resolvers-types.js';
import { childrenOf, findCategory, parentOf, productsOf } from '../services/category.service.js';
import { categoryDescription, categoryName } from '../services/translated-fields.js';
import { translationsOf } from '../services/translation.service.js';

export const Category: CategoryResolvers = {
  __resolveReference: (reference, context) => findCategory(context, reference.id),
  id: (category) => toGlobalId('Category', category.id),
  name: (category, _args, context) => categoryName(context, category),
  description: (category, _args, context) => categoryDescription(context, category),
  translations: (category, { locale }, context) => translationsOf(context, category.id, locale),
  parent: (category, _args, context) => parentOf(context, category),
  children: (category, _args, context) => childrenOf(context, category),
  products: (category, args, context, info) => productsOf(context, category, args, info),
};
