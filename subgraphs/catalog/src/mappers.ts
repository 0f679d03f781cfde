import type { Category, InventoryLevel, InventoryLocation, Product, ProductImage, ProductVariant, StockMovement } from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type StoreParent = { id: string };
export type ProductParent = Product;
export type ProductVariantParent = ProductVariant;
export type ProductImageParent = ProductImage;
export type CategoryParent = Category;
export type InventoryLocationParent = InventoryLocation;
export type InventoryLevelParent = InventoryLevel;
export type StockMovementParent = StockMovement;
export type ProductConnectionParent = Connection<Product>;
export type ProductEdgeParent = Edge<Product>;
export type ProductVariantConnectionParent = Connection<ProductVariant>;
export type ProductVariantEdgeParent = Edge<ProductVariant>;
export type CategoryConnectionParent = Connection<Category>;
export type CategoryEdgeParent = Edge<Category>;
export type InventoryLocationConnectionParent = Connection<InventoryLocation>;
export type InventoryLocationEdgeParent = Edge<InventoryLocation>;
export type StockMovementConnectionParent = Connection<StockMovement>;
export type StockMovementEdgeParent = Edge<StockMovement>;
