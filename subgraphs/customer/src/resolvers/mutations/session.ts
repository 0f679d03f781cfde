import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { logInCustomer, logOutEverywhere, signUpCustomer } from '../../services/customer-auth.service.js';

/** Sign-up, log-in and logging out everywhere (tokenRefresh and logOut are the store subgraph's). */
export const sessionMutations: MutationResolvers = {
  customerSignUp: (_parent, { input }, context) => signUpCustomer(context, input),
  customerLogIn: (_parent, { input }, context) => logInCustomer(context, input),
  customerLogOutEverywhere: (_parent, _args, context) => logOutEverywhere(context),
};
