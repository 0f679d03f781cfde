import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { logInCustomer, signUpCustomer, type CustomerSessionResult } from '../services/customer-auth.service.js';

function sessionPayload(result: CustomerSessionResult) {
  return result.ok ? { ...result.session, userErrors: [] } : { customer: null, accessToken: null, refreshToken: null, userErrors: result.userErrors };
}

export const Mutation: MutationResolvers = {
  customerSignUp: async (_parent, { input }, context) => sessionPayload(await signUpCustomer(context, input)),
  customerLogIn: async (_parent, { input }, context) => sessionPayload(await logInCustomer(context, input)),
};
