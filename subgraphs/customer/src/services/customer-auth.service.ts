import { hashPassword, issueAccessToken, issueCustomerRefreshToken, passwordProblem, verifyPassword } from '@commerce/auth';
import type { Customer, Transaction } from '@commerce/database';
import { InputErrors, isUniqueViolation, normalizeEmail, requireStore, userError, type RequestContext, type UserError } from '@commerce/graphql-kit';

export interface CustomerSession {
  customer: Customer;
  accessToken: string;
  refreshToken: string;
}

export type CustomerSessionResult = { ok: true; session: CustomerSession } | { ok: false; userErrors: UserError[] };

export interface CustomerSignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  acceptsMarketing?: boolean | null;
}

const NAME_MAX = 100;
const MAX_FAILED_LOGINS = 5;

// E.164: a plus and at most 15 digits, the first not zero. Separators people type are dropped.
const PHONE_SEPARATORS = /[\s\-.()]/g;
const E164 = /^\+[1-9]\d{6,14}$/;

/** A phone number in compact international form (+4930123456), or null when it is not one. */
export function normalizePhone(phone: string): string | null {
  const compact = phone.replace(PHONE_SEPARATORS, '');
  return E164.test(compact) ? compact : null;
}

/** Cool-down after repeated failures: 30 s, doubling per further failure, at most an hour. */
function lockDuration(failures: number): number {
  return Math.min(30_000 * 2 ** (failures - MAX_FAILED_LOGINS), 3_600_000);
}

const TAKEN_MESSAGE = 'A customer with this email already exists in this store; log in instead.';
const invalidCredentials = () => userError(['input'], 'The email or password is not correct.', 'INVALID_CREDENTIALS');

/** Runs `signIn` (which returns the customer) and issues a refresh token in the same transaction, then an access token. */
async function openSession(context: RequestContext, storeId: string, signIn: (tx: Transaction) => Promise<Customer>): Promise<CustomerSession> {
  const { customer, refreshToken } = await context.db.transaction(async (tx) => {
    const signedIn = await signIn(tx);
    return { customer: signedIn, refreshToken: await issueCustomerRefreshToken(tx, storeId, signedIn.id) };
  });
  return { customer, accessToken: await issueAccessToken({ kind: 'customer', customerId: customer.id, storeId }), refreshToken };
}

function validateSignUp(input: CustomerSignUpInput): { errors: InputErrors; emailValid: boolean; phone: string | null } {
  const errors = new InputErrors().email(['input', 'email'], input.email);
  const emailValid = errors.ok;
  errors
    .text(['input', 'firstName'], input.firstName, NAME_MAX)
    .text(['input', 'lastName'], input.lastName, NAME_MAX);
  const weak = passwordProblem(input.password);
  if (weak) errors.add(['input', 'password'], weak, 'WEAK_PASSWORD');
  const rawPhone = input.phone?.trim() ? input.phone : null;
  const phone = rawPhone === null ? null : normalizePhone(rawPhone);
  if (rawPhone !== null && phone === null) errors.add(['input', 'phone'], 'Enter the number in international format, e.g. +49 30 1234567.');
  return { errors, emailValid, phone };
}

/** Creates a customer account in the request's store and signs it in. */
export async function signUpCustomer(context: RequestContext, input: CustomerSignUpInput): Promise<CustomerSessionResult> {
  const store = requireStore(context);
  const { errors, emailValid, phone } = validateSignUp(input);
  const email = normalizeEmail(input.email);
  // Checked up front so that a taken email is reported with every other problem at once.
  if (emailValid) {
    const existing = await context.db.transaction((tx) =>
      tx.customer.findUnique({ where: { storeId_email: { storeId: store.id, email } }, select: { id: true } }),
    );
    if (existing) errors.add(['input', 'email'], TAKEN_MESSAGE, 'TAKEN');
  }
  if (!errors.ok) return { ok: false, userErrors: errors.errors };

  const passwordHash = await hashPassword(input.password);
  try {
    const session = await openSession(context, store.id, (tx) =>
      tx.customer.create({
        data: {
          storeId: store.id,
          email,
          passwordHash,
          firstName: input.firstName.trim(),
          lastName: input.lastName.trim(),
          phone,
          acceptsMarketing: input.acceptsMarketing ?? false,
        },
      }),
    );
    return { ok: true, session };
  } catch (error) {
    // Another sign-up with this email committed between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, userErrors: [userError(['input', 'email'], TAKEN_MESSAGE, 'TAKEN')] };
    throw error;
  }
}

/**
 * Signs a customer in to the request's store. Unknown email and wrong password get the same
 * answer after the same work; repeated failures lock the account for a growing time. A disabled
 * account is reported only to someone who knows its password.
 */
export async function logInCustomer(context: RequestContext, input: { email: string; password: string }): Promise<CustomerSessionResult> {
  const store = requireStore(context);
  const { db } = context;
  const email = normalizeEmail(input.email);
  const customer = await db.transaction((tx) => tx.customer.findUnique({ where: { storeId_email: { storeId: store.id, email } } }));
  // Accounts without a password (guest checkouts) cannot sign in, exactly like unknown ones.
  const passwordHash = customer?.passwordHash ?? null;
  const valid = await verifyPassword(input.password, passwordHash);
  if (!customer || passwordHash === null) return { ok: false, userErrors: [invalidCredentials()] };
  if (customer.lockedUntil && customer.lockedUntil.getTime() > Date.now()) {
    return { ok: false, userErrors: [userError(['input'], 'Too many failed attempts; try again later.', 'TOO_MANY_ATTEMPTS')] };
  }
  if (!valid) {
    await db.transaction(async (tx) => {
      // The increment returns the count after concurrent attempts too, so parallel guesses still lock.
      const { failedLoginCount } = await tx.customer.update({
        where: { id: customer.id },
        data: { failedLoginCount: { increment: 1 } },
        select: { failedLoginCount: true },
      });
      if (failedLoginCount >= MAX_FAILED_LOGINS) {
        await tx.customer.update({ where: { id: customer.id }, data: { lockedUntil: new Date(Date.now() + lockDuration(failedLoginCount)) } });
      }
    });
    return { ok: false, userErrors: [invalidCredentials()] };
  }
  if (customer.status !== 'ACTIVE') {
    return { ok: false, userErrors: [userError(['input'], 'This account is disabled; contact the store for help.', 'ACCOUNT_DISABLED')] };
  }
  const session = await openSession(context, store.id, async (tx) =>
    customer.failedLoginCount > 0 || customer.lockedUntil
      ? tx.customer.update({ where: { id: customer.id }, data: { failedLoginCount: 0, lockedUntil: null } })
      : customer,
  );
  return { ok: true, session };
}
