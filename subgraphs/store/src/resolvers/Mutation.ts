import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { logInSeller, signUpSeller, type SessionResult } from '../services/seller.service.js';
import { logOut, refreshTokens } from '../services/session.service.js';
import { createStore } from '../services/store.service.js';

function sessionPayload(result: SessionResult) {
  return result.ok ? { ...result.session, userErrors: [] } : { seller: null, accessToken: null, refreshToken: null, userErrors: result.userErrors };
}

export const Mutation: MutationResolvers = {
  sellerSignUp: async (_parent, { input }, context) => sessionPayload(await signUpSeller(context, input)),
  sellerLogIn: async (_parent, { input }, context) => sessionPayload(await logInSeller(context, input)),
  tokenRefresh: (_parent, { refreshToken }, context) => refreshTokens(context, refreshToken),
  logOut: (_parent, { refreshToken }, context) => logOut(context, refreshToken),
  storeCreate: (_parent, { input }, context) => createStore(context, input),
};
