import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { accountMutations } from './mutations/account.js';
import { addressMutations } from './mutations/address.js';
import { emailVerificationMutations } from './mutations/email-verification.js';
import { loyaltyMutations } from './mutations/loyalty.js';
import { passwordMutations } from './mutations/password.js';
import { sessionMutations } from './mutations/session.js';
import { wishlistMutations } from './mutations/wishlist.js';

export const Mutation: MutationResolvers = {
  ...sessionMutations,
  ...emailVerificationMutations,
  ...passwordMutations,
  ...accountMutations,
  ...addressMutations,
  ...wishlistMutations,
  ...loyaltyMutations,
};
