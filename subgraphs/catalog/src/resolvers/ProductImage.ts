import { toGlobalId } from '@commerce/graphql-kit';
import type { ProductImageResolvers } from '../__generated__/resolvers-types.js';

export const ProductImage: ProductImageResolvers = {
  id: (image) => toGlobalId('ProductImage', image.id),
};
