import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { changePassword, requestPasswordReset, resetPassword } from '../../services/password.service.js';

/** Password reset by mail and password change. */
export const passwordMutations: MutationResolvers = {
  customerPasswordResetRequest: (_parent, { email }, context) => requestPasswordReset(context, email),
  customerPasswordReset: (_parent, { input }, context) => resetPassword(context, input),
  customerPasswordChange: (_parent, { input }, context) => changePassword(context, input),
};
