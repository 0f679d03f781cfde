import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { resendEmailVerification, verifyEmail } from '../../services/email-verification.service.js';

/** Email verification by mailed link. */
export const emailVerificationMutations: MutationResolvers = {
  customerEmailVerify: (_parent, { token }, context) => verifyEmail(context, token),
  customerEmailVerificationResend: (_parent, _args, context) => resendEmailVerification(context),
};
