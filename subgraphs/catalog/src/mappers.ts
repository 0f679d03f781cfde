import type { MetafieldRecord } from '@commerce/metafields';
import type {
  Category,
  InventoryLevel,
  InventoryLocation,
  Product,
  ProductAnswer,
  ProductImage,
  ProductOption,
  ProductQuestion,
  ProductReview,
  ProductVariant,
  StockMovement,
} from '@commerce/database';
import type { Connection, Decimal, Edge, InCurrency } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type StoreParent = { id: string };
export type ProductParent = Product;
/** A variant with its store's currency, which its prices are in. */
export type ProductVariantParent = InCurrency<ProductVariant>;
/** Lowest and highest of a product's prices, in its store's currency. */
export type ProductPriceRangeParent = { min: Decimal; max: Decimal; currencyCode: string };
export type ProductImageParent = ProductImage;
export type CategoryParent = Category;
export type InventoryLocationParent = InventoryLocation;
export type InventoryLevelParent = InventoryLevel;
export type StockMovementParent = StockMovement;
export type ProductConnectionParent = Connection<Product>;
export type ProductEdgeParent = Edge<Product>;
export type ProductVariantConnectionParent = Connection<ProductVariantParent>;
export type ProductVariantEdgeParent = Edge<ProductVariantParent>;
export type CategoryConnectionParent = Connection<Category>;
export type CategoryEdgeParent = Edge<Category>;
export type InventoryLocationConnectionParent = Connection<InventoryLocation>;
export type InventoryLocationEdgeParent = Edge<InventoryLocation>;
export type StockMovementConnectionParent = Connection<StockMovement>;
export type StockMovementEdgeParent = Edge<StockMovement>;
/** A store's stock summary; `storeId` is the store's key (checked against the request's store). */
export type InventorySummaryParent = { storeId: string };
/** A product's rating is read from the product row's review figures. */
export type ProductRatingParent = Product;
export type ProductReviewParent = ProductReview;
export type ProductQuestionParent = ProductQuestion;
export type ProductAnswerParent = ProductAnswer;
export type ProductReviewConnectionParent = Connection<ProductReview>;
export type ProductReviewEdgeParent = Edge<ProductReview>;
export type ProductQuestionConnectionParent = Connection<ProductQuestion>;
export type ProductQuestionEdgeParent = Edge<ProductQuestion>;
/** A custom-field value with what its definition says (namespace, key, type). */
export type MetafieldParent = MetafieldRecord;
export type MetafieldConnectionParent = Connection<MetafieldRecord>;
export type MetafieldEdgeParent = Edge<MetafieldRecord>;
export type ProductOptionParent = ProductOption;
