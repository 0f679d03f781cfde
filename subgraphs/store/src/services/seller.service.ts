import { hashPassword, issueAccessToken, issueSellerRefreshToken, passwordProblem, verifyPassword } from '@commerce/auth';
import type { Seller } from '@commerce/database';
import { InputErrors, isUniqueViolation, normalizeEmail, userError, type RequestContext, type UserError } from '@commerce/graphql-kit';
import { acceptStaffInvitations } from './staff.service.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

export interface SellerSession {
  seller: Seller;
  accessToken: string;
  refreshToken: string;
}

export type SessionResult = { ok: true; session: SellerSession } | { ok: false; userErrors: UserError<StoreErrorCode>[] };

const MAX_FAILED_LOGINS = 5;

/** Cool-down after repeated failures: 30 s, doubling per further failure, at most an hour. */
function lockDuration(failures: number): number {
  return Math.min(30_000 * 2 ** (failures - MAX_FAILED_LOGINS), 3_600_000);
}

/**
 * Signs the seller in. Invitations to the seller's email are taken up here, on sign-up and on
 * every sign-in, so that one sent while the account was being created is not left pending.
 */
async function openSession(context: RequestContext, seller: Seller): Promise<SellerSession> {
  const refreshToken = await context.db.withScope({}).transaction(async (tx) => {
    await acceptStaffInvitations(tx, seller.id);
    return issueSellerRefreshToken(tx, seller.id);
  });
  return { seller, accessToken: await issueAccessToken({ kind: 'seller', sellerId: seller.id }), refreshToken };
}

/** Creates a seller account and signs it in. */
export async function signUpSeller(context: RequestContext, input: { email: string; password: string; name: string }): Promise<SessionResult> {
  const errors = new InputErrors<StoreErrorCode>().email(['input', 'email'], input.email).text(['input', 'name'], input.name, 120);
  const weak = passwordProblem(input.password);
  if (weak) errors.add(['input', 'password'], weak, 'WEAK_PASSWORD');
  if (!errors.ok) return { ok: false, userErrors: errors.errors };
  const passwordHash = await hashPassword(input.password);
  try {
    const seller = await context.db
      .withScope({})
      .transaction((tx) => tx.seller.create({ data: { email: normalizeEmail(input.email), passwordHash, name: input.name.trim() } }));
    return { ok: true, session: await openSession(context, seller) };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, userErrors: [userError(['input', 'email'], 'A seller with this email already exists.', 'TAKEN')] };
    throw error;
  }
}

/**
 * Signs a seller in. Unknown email and wrong password get the same answer after the same work;
 * repeated failures lock the account for a growing time.
 */
export async function logInSeller(context: RequestContext, input: { email: string; password: string }): Promise<SessionResult> {
  const db = context.db.withScope({});
  const seller = await db.transaction((tx) => tx.seller.findUnique({ where: { email: normalizeEmail(input.email) } }));
  const valid = await verifyPassword(input.password, seller?.passwordHash ?? null);
  const invalid: SessionResult = { ok: false, userErrors: [userError(['input'], 'The email or password is not correct.', 'INVALID_CREDENTIALS')] };
  if (!seller) return invalid;
  if (seller.lockedUntil && seller.lockedUntil.getTime() > Date.now()) {
    return { ok: false, userErrors: [userError(['input'], 'Too many failed attempts; try again later.', 'TOO_MANY_ATTEMPTS')] };
  }
  if (!valid) {
    const failures = seller.failedLoginCount + 1;
    await db.transaction((tx) =>
      tx.seller.update({
        where: { id: seller.id },
        data: { failedLoginCount: { increment: 1 }, lockedUntil: failures >= MAX_FAILED_LOGINS ? new Date(Date.now() + lockDuration(failures)) : null },
      }),
    );
    return invalid;
  }
  if (seller.failedLoginCount > 0) {
    await db.transaction((tx) => tx.seller.update({ where: { id: seller.id }, data: { failedLoginCount: 0, lockedUntil: null } }));
  }
  return { ok: true, session: await openSession(context, seller) };
}
