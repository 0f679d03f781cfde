import { scalarResolvers } from '@commerce/graphql-kit';
import { metafieldResolvers } from '@commerce/metafields';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Customer } from './Customer.js';
import { CustomerAddress } from './CustomerAddress.js';
import { CustomerLoyalty, LoyaltyProgram, LoyaltyTransaction } from './Loyalty.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Store } from './Store.js';
import { StoreFollow } from './StoreFollow.js';
import { WishlistItem } from './WishlistItem.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Metafield: metafieldResolvers,
  Query,
  Mutation,
  Store,
  StoreFollow,
  Customer,
  CustomerAddress,
  WishlistItem,
  LoyaltyProgram,
  CustomerLoyalty,
  LoyaltyTransaction,
};
