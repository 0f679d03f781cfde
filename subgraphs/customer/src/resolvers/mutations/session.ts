import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { logInCustomer, logOutEverywhere, signUpCustomer, type CustomerSessionResult } from '../../services/customer-auth.service.js';

function sessionPayload(result: CustomerSessionResult) {
  return result.ok ? { ...result.session, userErrors: [] } : { customer: null, accessToken: null, refreshToken: null, userErrors: result.userErrors };
}

/** Sign-up, log-in and logging out everywhere (tokenRefresh and logOut are the store subgraph's). */
export const sessionMutations: MutationResolvers = {
  customerSignUp: async (_parent, { input }, context) => sessionPayload(await signUpCustomer(context, input)),
  customerLogIn: async (_parent, { input }, context) => sessionPayload(await logInCustomer(context, input)),
  customerLogOutEverywhere: async (_parent, _args, context) => ({ ...(await logOutEverywhere(context)), userErrors: [] }),
};
