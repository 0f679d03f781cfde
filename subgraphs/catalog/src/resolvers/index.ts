import { scalarResolvers } from '@commerce/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Category } from './Category.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { ProductImage } from './ProductImage.js';
import { ProductVariant } from './ProductVariant.js';
import { Store } from './Store.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Mutation,
  Store,
  Product,
  ProductVariant,
  ProductImage,
  Category,
};
