import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductAnswerResolvers } from '../__generated__/resolvers-types.js';

export const ProductAnswer: ProductAnswerResolvers = {
  id: (answer) => toGlobalId('ProductAnswer', answer.id),
  authorType: (answer) => answer.authorType as 'STAFF' | 'BUYER',
  status: (answer) => answer.status as 'PENDING' | 'PUBLISHED' | 'HIDDEN',
};
