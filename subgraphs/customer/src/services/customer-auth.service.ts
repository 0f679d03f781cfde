import {
  clearLogInFailures,
  hashPassword,
  passwordNeedsRehash,
  issueAccessToken,
  issueCustomerRefreshToken,
  logInPaused,
  passwordProblem,
  recordLogInFailure,
  revokeAllCustomerSessions,
  verifyPassword,
} from '@commerce/auth';
import type { Customer, Transaction } from '@commerce/database';
import {
  InputErrors,
  isUniqueViolation,
  normalizeEmail,
  requireStore,
  userError,
  type RequestContext,
  type UserError,
} from '@commerce/graphql-kit';
import { queueMail } from '@commerce/mail';
import type { SubgraphContext } from '../context.js';
import { announceCustomer } from './customer-events.js';
import { customerMail, loadMailStore } from '../mail/customer-mail.js';
import { issueCustomerToken } from './customer-token.js';
import { requireActiveCustomer } from './customer.service.js';
import { customerLogInScope } from './log-in-scope.js';
import { normalizeLocale, normalizePhone } from './profile-rules.js';
import { mergeGuestWishlist } from './wishlist.service.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

export interface CustomerSession {
  customer: Customer;
  accessToken: string;
  refreshToken: string;
}

/** The payload of customerSignUp, customerLogIn and customerPasswordChange: a new session, or nulls and what the caller can fix. */
export interface CustomerSessionPayload {
  customer: Customer | null;
  accessToken: string | null;
  refreshToken: string | null;
  userErrors: UserError<CustomerErrorCode>[];
}

/** The payload of a sign-in that did not happen. */
export function noSession(userErrors: UserError<CustomerErrorCode>[]): CustomerSessionPayload {
  return { customer: null, accessToken: null, refreshToken: null, userErrors };
}

export interface CustomerSignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  acceptsMarketing?: boolean | null;
  locale?: string | null;
  guestWishlistToken?: string | null;
}

const NAME_MAX = 100;

const TAKEN_MESSAGE = 'A customer with this email already exists in this store; log in instead.';
const invalidCredentials = (field: string[] = ['input']) =>
  userError(field, 'The email or password is not correct.', 'INVALID_CREDENTIALS');
const tooManyAttempts = (field: string[] = ['input']) =>
  userError(field, 'Too many failed attempts; try again later or reset your password.', 'TOO_MANY_ATTEMPTS');

/**
 * Runs `signIn` (which returns the customer and anything else the caller needs from the same
 * transaction) and issues a refresh token in that transaction, then an access token.
 */
async function openSession<Extra = undefined>(
  context: RequestContext,
  storeId: string,
  signIn: (tx: Transaction) => Promise<{ customer: Customer; extra?: Extra }>,
): Promise<{ session: CustomerSession; extra: Extra | undefined }> {
  const { customer, extra, refreshToken } = await context.db.transaction(async (tx) => {
    const signedIn = await signIn(tx);
    return { ...signedIn, refreshToken: await issueCustomerRefreshToken(tx, storeId, signedIn.customer.id) };
  });
  const accessToken = await issueAccessToken({ kind: 'customer', customerId: customer.id, storeId });
  return { session: { customer, accessToken, refreshToken }, extra };
}

function validateSignUp(input: CustomerSignUpInput): {
  errors: InputErrors<CustomerErrorCode>;
  emailValid: boolean;
  phone: string | null;
  locale: string | null;
} {
  const errors = new InputErrors<CustomerErrorCode>().email(['input', 'email'], input.email);
  const emailValid = errors.ok;
  errors.text(['input', 'firstName'], input.firstName, NAME_MAX).text(['input', 'lastName'], input.lastName, NAME_MAX);
  const weak = passwordProblem(input.password);
  if (weak) errors.add(['input', 'password'], weak, 'WEAK_PASSWORD');
  const rawPhone = input.phone?.trim() ? input.phone : null;
  const phone = rawPhone === null ? null : normalizePhone(rawPhone);
  if (rawPhone !== null && phone === null)
    errors.add(['input', 'phone'], 'Enter the number in international format, e.g. +49 30 1234567.');
  const rawLocale = input.locale?.trim() ? input.locale : null;
  const locale = rawLocale === null ? null : normalizeLocale(rawLocale);
  if (rawLocale !== null && locale === null)
    errors.add(['input', 'locale'], 'Enter a language tag such as en, de or de-AT.');
  return { errors, emailValid, phone, locale };
}

/**
 * Creates a customer account in the request's store and signs it in. A welcome mail always
 * follows; a verification mail too when the store requires verified email addresses.
 */
export async function signUpCustomer(
  context: SubgraphContext,
  input: CustomerSignUpInput,
): Promise<CustomerSessionPayload> {
  const store = requireStore(context);
  const { errors, emailValid, phone, locale } = validateSignUp(input);
  const email = normalizeEmail(input.email);
  // Checked up front so that a taken email is reported with every other problem at once.
  if (emailValid) {
    const existing = await context.db.transaction((tx) =>
      tx.customer.findUnique({ where: { storeId_email: { storeId: store.id, email } }, select: { id: true } }),
    );
    if (existing) errors.add(['input', 'email'], TAKEN_MESSAGE, 'TAKEN');
  }
  if (!errors.ok) return noSession(errors.errors);

  const passwordHash = await hashPassword(input.password);
  let opened: Awaited<ReturnType<typeof openSession>>;
  try {
    opened = await openSession(context, store.id, async (tx) => {
      const customer = await tx.customer.create({
        data: {
          storeId: store.id,
          email,
          passwordHash,
          firstName: input.firstName.trim(),
          lastName: input.lastName.trim(),
          phone,
          locale,
          acceptsMarketing: input.acceptsMarketing ?? false,
        },
      });
      await mergeGuestWishlist(tx, store.id, customer.id, input.guestWishlistToken);
      await announceCustomer(tx, 'customer.created', customer);
      const mailStore = await loadMailStore(tx, store.id, context.settings.storefrontUrl);
      const verification = mailStore.emailVerificationRequired
        ? await issueCustomerToken(tx, store.id, customer.id, 'EMAIL_VERIFICATION')
        : null;
      // Written with the account, and sent once it has committed.
      await queueMail(tx, customerMail(mailStore, customer, 'WELCOME'));
      if (verification) await queueMail(tx, customerMail(mailStore, customer, 'EMAIL_VERIFICATION', verification));
      return { customer };
    });
  } catch (error) {
    // Another sign-up with this email committed between the check and the insert.
    if (isUniqueViolation(error)) return noSession([userError(['input', 'email'], TAKEN_MESSAGE, 'TAKEN')]);
    throw error;
  }
  return { ...opened.session, userErrors: [] };
}

/**
 * Signs a customer in to the request's store. Unknown email and wrong password get the same
 * answer after the same work, and count towards the same lock-outs (see @commerce/auth's log-in throttle). A
 * disabled account is reported only to someone who knows its password.
 */
export async function logInCustomer(
  context: SubgraphContext,
  input: { email: string; password: string; guestWishlistToken?: string | null },
): Promise<CustomerSessionPayload> {
  const store = requireStore(context);
  const { db } = context;
  const email = normalizeEmail(input.email);
  const scope = customerLogInScope(context, store.id);
  const { paused, customer } = await db.transaction(async (tx) => ({
    paused: await logInPaused(tx, scope, email),
    customer: await tx.customer.findUnique({ where: { storeId_email: { storeId: store.id, email } } }),
  }));
  if (paused) return noSession([tooManyAttempts()]);
  // Accounts without a password (guest checkouts, deleted accounts) cannot sign in, exactly like unknown ones.
  const passwordHash = customer?.passwordHash ?? null;
  const valid = await verifyPassword(input.password, passwordHash);
  if (!customer || passwordHash === null || !valid) {
    await db.transaction((tx) => recordLogInFailure(tx, scope, email));
    return noSession([invalidCredentials()]);
  }
  if (customer.status !== 'ACTIVE') {
    return noSession([
      userError(['input'], 'This account is disabled; contact the store for help.', 'ACCOUNT_DISABLED'),
    ]);
  }
  // A hash of another cost than PASSWORD_HASH_COST's is replaced now that the password is known.
  const rehashed = passwordNeedsRehash(passwordHash) ? await hashPassword(input.password) : null;
  const { session } = await openSession(context, store.id, async (tx) => {
    await clearLogInFailures(tx, scope, email);
    await mergeGuestWishlist(tx, store.id, customer.id, input.guestWishlistToken);
    if (rehashed)
      await tx.customer.update({
        where: { storeId_id: { storeId: store.id, id: customer.id } },
        data: { passwordHash: rehashed },
      });
    return { customer };
  });
  return { ...session, userErrors: [] };
}

/**
 * Checks the calling customer's password (to change it or delete the account): the problem, or
 * null when it is right. Wrong guesses count towards the same lock-out as log-ins, so a stolen
 * access token cannot be used to find it.
 */
export async function confirmPassword(
  context: SubgraphContext,
  customer: Customer,
  password: string,
  field: string[],
): Promise<UserError<CustomerErrorCode> | null> {
  const { db } = context;
  const scope = customerLogInScope(context, customer.storeId);
  if (await db.transaction((tx) => logInPaused(tx, scope, customer.email))) return tooManyAttempts(field);
  if (!(await verifyPassword(password, customer.passwordHash))) {
    await db.transaction((tx) => recordLogInFailure(tx, scope, customer.email));
    return userError(field, 'The password is not correct.', 'INVALID_CREDENTIALS');
  }
  return null;
}

/** Ends every session of the calling customer, on every device. */
export async function logOutEverywhere(
  context: SubgraphContext,
): Promise<{ revokedSessions: number; userErrors: UserError<CustomerErrorCode>[] }> {
  const customer = await requireActiveCustomer(context);
  return {
    revokedSessions: await context.db.transaction((tx) => revokeAllCustomerSessions(tx, customer.storeId, customer.id)),
    userErrors: [],
  };
}

/** A new session for a customer who just proved their password again (after changing it). */
export async function reopenSession(context: SubgraphContext, customer: Customer): Promise<CustomerSession> {
  const { session } = await openSession(context, customer.storeId, async () => ({ customer }));
  return session;
}
