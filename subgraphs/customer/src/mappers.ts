import type { MetafieldRecord } from '@commerce/metafields';
import type {
  Customer,
  CustomerAddress,
  LoyaltyProgram,
  LoyaltyTransaction,
  StoreFollow,
  WishlistItem,
} from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';
import type { LoyaltyTier } from '@commerce/loyalty';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type StoreParent = { id: string };
export type CustomerParent = Customer;
export type CustomerAddressParent = CustomerAddress;
export type CustomerConnectionParent = Connection<Customer>;
export type CustomerEdgeParent = Edge<Customer>;
/** A product reference (global id) that the catalog resolves. */
export type ProductParent = { id: string };
/** A variant reference (global id) that the catalog resolves. */
export type ProductVariantParent = { id: string };
export type WishlistItemParent = WishlistItem;
export type StoreFollowParent = StoreFollow;
export type WishlistItemConnectionParent = Connection<WishlistItem>;
export type WishlistItemEdgeParent = Edge<WishlistItem>;
export type LoyaltyProgramParent = LoyaltyProgram;
export type LoyaltyTransactionParent = LoyaltyTransaction;
export type LoyaltyTransactionConnectionParent = Connection<LoyaltyTransaction>;
export type LoyaltyTransactionEdgeParent = Edge<LoyaltyTransaction>;
/** A customer's standing, read once for its fields. */
export type CustomerLoyaltyParent = {
  customer: Customer;
  points: number;
  earnedLastYear: number;
  tier: LoyaltyTier | null;
};
/** A custom-field value with what its definition says (namespace, key, type). */
export type MetafieldParent = MetafieldRecord;
export type MetafieldConnectionParent = Connection<MetafieldRecord>;
export type MetafieldEdgeParent = Edge<MetafieldRecord>;
