import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { resendEmailVerification, verifyEmail } from '../../services/email-verification.service.js';

/** Email verification by mailed link. */
export const emailVerificationMutations: MutationResolvers = {
  customerEmailVerify: async (_parent, { token }, context) => {
    const result = await verifyEmail(context, token);
    return result.ok ? { customer: result.customer, userErrors: [] } : { customer: null, userErrors: result.userErrors };
  },
  customerEmailVerificationResend: (_parent, _args, context) => resendEmailVerification(context),
};
