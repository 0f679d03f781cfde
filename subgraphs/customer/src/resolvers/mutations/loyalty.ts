import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { updateLoyaltyProgram } from '../../services/loyalty.service.js';

/** The store's loyalty programme. */
export const loyaltyMutations: MutationResolvers = {
  loyaltyProgramUpdate: (_parent, { input }, context) => updateLoyaltyProgram(context, input),
};
