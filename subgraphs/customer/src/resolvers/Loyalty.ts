import { toGlobalId } from '@commerce/graphql-kit';
import { parseTiers } from '@commerce/loyalty';
import type {
  CustomerLoyaltyResolvers,
  LoyaltyProgramResolvers,
  LoyaltyTransactionResolvers,
} from '../__generated__/resolvers-types.js';
import { loyaltyTransactions } from '../services/loyalty.service.js';

export const LoyaltyProgram: LoyaltyProgramResolvers = {
  tiers: (program) => parseTiers(program.tiers),
};

export const CustomerLoyalty: CustomerLoyaltyResolvers = {
  transactions: (loyalty, args, context) => loyaltyTransactions(context, loyalty.customer, args),
};

export const LoyaltyTransaction: LoyaltyTransactionResolvers = {
  id: (transaction) => toGlobalId('LoyaltyTransaction', transaction.id),
  orderId: (transaction) => (transaction.orderId ? toGlobalId('Order', transaction.orderId) : null),
};
