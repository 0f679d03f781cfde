import { issueAccessToken, revokeRefreshToken, rotateRefreshToken } from '@commerce/auth';
import { userError, type RequestContext, type UserError } from '@commerce/graphql-kit';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

const MESSAGES = {
  INVALID_REFRESH_TOKEN: 'This refresh token is not valid; sign in again.',
  REFRESH_TOKEN_EXPIRED: 'This refresh token has expired; sign in again.',
  REFRESH_TOKEN_REUSED: 'This refresh token was already used, so the session was ended for safety; sign in again.',
} as const;

/** Rotates a seller's or customer's refresh token and issues a new access token. */
export async function refreshTokens(
  context: RequestContext,
  refreshToken: string,
): Promise<{ accessToken: string | null; refreshToken: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  const result = await rotateRefreshToken(context.db.prisma, refreshToken);
  if (!result.ok)
    return {
      accessToken: null,
      refreshToken: null,
      userErrors: [userError(['refreshToken'], MESSAGES[result.code], result.code)],
    };
  return { accessToken: await issueAccessToken(result.subject), refreshToken: result.refreshToken, userErrors: [] };
}

/** Ends the session (token family) a refresh token belongs to. */
export async function logOut(
  context: RequestContext,
  refreshToken: string,
): Promise<{ revoked: boolean; userErrors: UserError<StoreErrorCode>[] }> {
  const revoked = await revokeRefreshToken(context.db.prisma, refreshToken);
  return {
    revoked,
    userErrors: revoked ? [] : [userError(['refreshToken'], MESSAGES.INVALID_REFRESH_TOKEN, 'INVALID_REFRESH_TOKEN')],
  };
}
