import {
  clearLogInFailures,
  hashPassword,
  issueAccessToken,
  issueSellerRefreshToken,
  logInPaused,
  passwordNeedsRehash,
  passwordProblem,
  recordLogInFailure,
  verifyPassword,
  type LogInScope,
} from '@commerce/auth';
import type { Seller } from '@commerce/database';
import {
  InputErrors,
  isUniqueViolation,
  normalizeEmail,
  userError,
  type RequestContext,
  type UserError,
} from '@commerce/graphql-kit';
import { acceptStaffInvitations } from './staff.service.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

/** The payload of sellerSignUp and sellerLogIn: the seller signed in with new tokens, or nulls and what the caller can fix. */
export interface SellerSessionPayload {
  seller: Seller | null;
  accessToken: string | null;
  refreshToken: string | null;
  userErrors: UserError<StoreErrorCode>[];
}

function refused(userErrors: UserError<StoreErrorCode>[]): SellerSessionPayload {
  return { seller: null, accessToken: null, refreshToken: null, userErrors };
}

/** Sellers sign in at platform scope: their failed log-ins are counted across the platform. */
const SELLERS: LogInScope = { kind: 'sellers' };

/**
 * Signs the seller in, forgetting the email's failed log-ins (and storing `rehashed`, the
 * password hashed again at the current cost, when given). Invitations to the seller's email
 * are taken up here, on sign-up and on every sign-in, so that one sent while the account was
 * being created is not left pending.
 */
async function openSession(
  context: RequestContext,
  seller: Seller,
  rehashed: string | null = null,
): Promise<SellerSessionPayload> {
  const db = context.db.withScope({});
  // In a transaction of its own, before the app role writes: the function runs as its owner, and
  // on Citus a transaction may not touch placements that another user modified in it. Taking
  // invitations up is idempotent, so a failure after it loses nothing.
  await db.transaction((tx) => acceptStaffInvitations(tx, seller.id));
  const refreshToken = await db.transaction(async (tx) => {
    await clearLogInFailures(tx, SELLERS, seller.email);
    if (rehashed) await tx.seller.update({ where: { id: seller.id }, data: { passwordHash: rehashed } });
    return issueSellerRefreshToken(tx, seller.id);
  });
  return {
    seller,
    accessToken: await issueAccessToken({ kind: 'seller', sellerId: seller.id }),
    refreshToken,
    userErrors: [],
  };
}

/** Creates a seller account and signs it in. */
export async function signUpSeller(
  context: RequestContext,
  input: { email: string; password: string; name: string },
): Promise<SellerSessionPayload> {
  const errors = new InputErrors<StoreErrorCode>()
    .email(['input', 'email'], input.email)
    .text(['input', 'name'], input.name, 120);
  const weak = passwordProblem(input.password);
  if (weak) errors.add(['input', 'password'], weak, 'WEAK_PASSWORD');
  if (!errors.ok) return refused(errors.errors);
  const passwordHash = await hashPassword(input.password);
  try {
    const seller = await context.db
      .withScope({})
      .transaction((tx) =>
        tx.seller.create({ data: { email: normalizeEmail(input.email), passwordHash, name: input.name.trim() } }),
      );
    return await openSession(context, seller);
  } catch (error) {
    if (isUniqueViolation(error))
      return refused([userError(['input', 'email'], 'A seller with this email already exists.', 'TAKEN')]);
    throw error;
  }
}

/**
 * Signs a seller in. Unknown email and wrong password get the same answer after the same work,
 * and count towards the same lock-outs (see @commerce/auth's log-in throttle), so neither the
 * answers nor the attempt at which TOO_MANY_ATTEMPTS starts tell whether an account exists.
 */
export async function logInSeller(
  context: RequestContext,
  input: { email: string; password: string },
): Promise<SellerSessionPayload> {
  const db = context.db.withScope({});
  const email = normalizeEmail(input.email);
  const { paused, seller } = await db.transaction(async (tx) => ({
    paused: await logInPaused(tx, SELLERS, email),
    seller: await tx.seller.findUnique({ where: { email } }),
  }));
  if (paused) return refused([userError(['input'], 'Too many failed attempts; try again later.', 'TOO_MANY_ATTEMPTS')]);
  const valid = await verifyPassword(input.password, seller?.passwordHash ?? null);
  if (!seller || !valid) {
    await db.transaction((tx) => recordLogInFailure(tx, SELLERS, email));
    return refused([userError(['input'], 'The email or password is not correct.', 'INVALID_CREDENTIALS')]);
  }
  // A hash of another cost than PASSWORD_HASH_COST's is replaced now that the password is known.
  const rehashed = passwordNeedsRehash(seller.passwordHash) ? await hashPassword(input.password) : null;
  return openSession(context, seller, rehashed);
}
