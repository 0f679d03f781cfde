import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createCategory, deleteCategory, updateCategory } from '../services/category.service.js';
import { createLocation, updateLocation } from '../services/location.service.js';
import { deleteProduct, updateProduct } from '../services/product-update.service.js';
import { createProduct } from '../services/product.service.js';
import { answerQuestion, askQuestion, moderateAnswer, moderateQuestion } from '../services/question.service.js';
import {
  createReview,
  deleteReview,
  markReviewHelpful,
  moderateReview,
  updateReview,
} from '../services/review.service.js';
import { adjustInventory, setInventory } from '../services/stock-change.service.js';
import { registerTranslations } from '../services/translation.service.js';
import { setVariantPrices } from '../services/variant-prices.service.js';
import { createVariants, deleteVariants, updateVariants } from '../services/variant.service.js';

export const Mutation: MutationResolvers = {
  productCreate: (_parent, { input }, context) => createProduct(context, input),
  translationsRegister: (_parent, { input }, context) => registerTranslations(context, input),
  productUpdate: (_parent, { input }, context) => updateProduct(context, input),
  productDelete: (_parent, { id }, context) => deleteProduct(context, id),
  productVariantsCreate: (_parent, { input }, context) => createVariants(context, input),
  productVariantsUpdate: (_parent, { input }, context) => updateVariants(context, input),
  productVariantPricesSet: (_parent, { input }, context) => setVariantPrices(context, input),
  productVariantsDelete: (_parent, { input }, context) => deleteVariants(context, input),
  categoryCreate: (_parent, { input }, context) => createCategory(context, input),
  categoryUpdate: (_parent, { input }, context) => updateCategory(context, input),
  categoryDelete: (_parent, { id }, context) => deleteCategory(context, id),
  inventoryLocationCreate: (_parent, { input }, context) => createLocation(context, input),
  inventoryLocationUpdate: (_parent, { input }, context) => updateLocation(context, input),
  inventoryAdjust: (_parent, { input, idempotencyKey }, context) => adjustInventory(context, input, idempotencyKey),
  inventorySet: (_parent, { input, idempotencyKey }, context) => setInventory(context, input, idempotencyKey),
  productReviewCreate: (_parent, { input }, context) => createReview(context, input),
  productReviewUpdate: (_parent, { input }, context) => updateReview(context, input),
  productReviewDelete: (_parent, { reviewId }, context) => deleteReview(context, reviewId),
  productReviewModerate: (_parent, { input }, context) => moderateReview(context, input),
  productReviewMarkHelpful: (_parent, { reviewId }, context) => markReviewHelpful(context, reviewId),
  productQuestionAsk: (_parent, { input }, context) => askQuestion(context, input),
  productQuestionAnswer: (_parent, { input }, context) => answerQuestion(context, input),
  productQuestionModerate: (_parent, { input }, context) => moderateQuestion(context, input),
  productAnswerModerate: (_parent, { input }, context) => moderateAnswer(context, input),
};
