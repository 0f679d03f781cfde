import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductQuestionResolvers } from '../__generated__/resolvers-types.js';
import { answersOf, findQuestion } from '../services/question.service.js';
import { productOf } from '../services/review-read.service.js';

export const ProductQuestion: ProductQuestionResolvers = {
  __resolveReference: (reference, context) => findQuestion(context, reference.id),
  id: (question) => toGlobalId('ProductQuestion', question.id),
  product: (question, _args, context) => productOf(context, question.productId),
  status: (question) => question.status as 'PENDING' | 'PUBLISHED' | 'HIDDEN',
  answers: (question, _args, context) => answersOf(context, question),
};
