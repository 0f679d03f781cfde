import { scalarResolvers } from '@commerce/graphql-kit';
import { metafieldResolvers } from '@commerce/metafields';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Category } from './Category.js';
import { InventoryLevel } from './InventoryLevel.js';
import { InventorySummary } from './InventorySummary.js';
import { InventoryLocation } from './InventoryLocation.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { ProductAnswer } from './ProductAnswer.js';
import { ProductImage } from './ProductImage.js';
import { ProductOption } from './ProductOption.js';
import { ProductPriceRange } from './ProductPriceRange.js';
import { ProductQuestion } from './ProductQuestion.js';
import { ProductRating } from './ProductRating.js';
import { ProductReview } from './ProductReview.js';
import { ProductVariant } from './ProductVariant.js';
import { StockMovement } from './StockMovement.js';
import { Store } from './Store.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Metafield: metafieldResolvers,
  Mutation,
  Store,
  Product,
  ProductVariant,
  ProductPriceRange,
  ProductImage,
  ProductOption,
  ProductRating,
  ProductReview,
  ProductQuestion,
  ProductAnswer,
  Category,
  InventoryLocation,
  InventoryLevel,
  InventorySummary,
  StockMovement,
};
