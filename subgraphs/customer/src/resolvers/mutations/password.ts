import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { changePassword, requestPasswordReset, resetPassword } from '../../services/password.service.js';

/** Password reset by mail and password change. */
export const passwordMutations: MutationResolvers = {
  customerPasswordResetRequest: (_parent, { email }, context) => requestPasswordReset(context, email),
  customerPasswordReset: async (_parent, { input }, context) => {
    const result = await resetPassword(context, input);
    return result.ok ? { customer: result.customer, userErrors: [] } : { customer: null, userErrors: result.userErrors };
  },
  customerPasswordChange: async (_parent, { input }, context) => {
    const result = await changePassword(context, input);
    return result.ok ? { ...result.session, userErrors: [] } : { customer: null, accessToken: null, refreshToken: null, userErrors: result.userErrors };
  },
};
