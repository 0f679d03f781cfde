import { toGlobalId } from '@commerce/graphql-kit';
import { ownerMetafield, ownerMetafields } from '@commerce/metafields';
import type { ProductResolvers } from '../__generated__/resolvers-types.js';
import { totalInventory } from '../services/inventory.service.js';
import { compareAtPriceRange, findProduct, listVariants, priceRange } from '../services/product-read.service.js';
import { listQuestions } from '../services/question.service.js';
import { listReviews, productRating } from '../services/review-read.service.js';
import { productDescription, productSeo, productTitle } from '../services/translated-fields.js';
import { translationsOf } from '../services/translation.service.js';

export const Product: ProductResolvers = {
  __resolveReference: (reference, context) => findProduct(context, reference.id),
  id: (product) => toGlobalId('Product', product.id),
  title: (product, _args, context) => productTitle(context, product),
  description: (product, _args, context) => productDescription(context, product),
  seo: (product, _args, context) => productSeo(context, product),
  translations: (product, { locale }, context) => translationsOf(context, product.id, locale),
  options: (product, _args, context) => context.loaders.optionsByProduct.now(product.id),
  variants: (product, args, context) => listVariants(context, product.id, args),
  images: (product, _args, context) => context.loaders.imagesByProduct.now(product.id),
  categories: (product, _args, context) => context.loaders.categoriesByProduct.load(product.id),
  priceRange: (product, _args, context) => priceRange(context, product),
  compareAtPriceRange: (product, _args, context) => compareAtPriceRange(context, product),
  totalInventory: (product, _args, context) => totalInventory(context, product.id),
  rating: (product, _args, context) => productRating(context, product),
  reviews: (product, args, context) => listReviews(context, product, args),
  questions: (product, args, context) => listQuestions(context, product, args),
  metafield: (product, { namespace, key }, context) =>
    ownerMetafield(context.loaders.productMetafields, product.id, namespace, key),
  metafields: (product, args, context) => ownerMetafields(context.loaders.productMetafields, product.id, args),
};
