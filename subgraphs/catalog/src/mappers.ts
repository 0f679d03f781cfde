import type { Category, Product, ProductImage, ProductVariant } from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types (see codegen.ts). */
export type StoreParent = { id: string };
export type ProductParent = Product;
export type ProductVariantParent = ProductVariant;
export type ProductImageParent = ProductImage;
export type CategoryParent = Category;
export type ProductConnectionParent = Connection<Product>;
export type ProductEdgeParent = Edge<Product>;
export type ProductVariantConnectionParent = Connection<ProductVariant>;
export type ProductVariantEdgeParent = Edge<ProductVariant>;
export type CategoryConnectionParent = Connection<Category>;
export type CategoryEdgeParent = Edge<Category>;
