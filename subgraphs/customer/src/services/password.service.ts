import { randomUUID } from 'node:crypto';
import { clearLogInFailures, hashPassword, passwordProblem, revokeAllCustomerSessions } from '@commerce/auth';
import { InputErrors, normalizeEmail, requireStore, userError, type UserError } from '@commerce/graphql-kit';
import { queueMail } from '@commerce/mail';
import type { SubgraphContext } from '../context.js';
import { customerMail, loadMailStore } from '../mail/customer-mail.js';
import { confirmPassword, noSession, reopenSession, type CustomerSessionPayload } from './customer-auth.service.js';
import {
  consumeCustomerToken,
  issueCustomerToken,
  issuedRecently,
  issueNoCustomerToken,
  TOKEN_MESSAGES,
} from './customer-token.js';
import { requireActiveCustomer } from './customer.service.js';
import { customerLogInScope } from './log-in-scope.js';
import type { CustomerResult } from './result.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/**
 * Mails a password-reset link if the email belongs to an active account of the request's store,
 * at most once a minute (so that nobody can flood an inbox with reset mails; the link mailed
 * last keeps working; requests sent at once take turns). The answer is the same either way, and
 * so is the work before it: the account lookup, the look for a recent token, a token generated and
 * hashed, two statements on the token table, one on the mail outbox (the mail written, or a look for
 * none). The mail itself is sent by the mail sender after the commit, so its delivery time does not tell either.
 */
export async function requestPasswordReset(
  context: SubgraphContext,
  rawEmail: string,
): Promise<{ userErrors: UserError<CustomerErrorCode>[] }> {
  const store = requireStore(context);
  const errors = new InputErrors<CustomerErrorCode>().email(['email'], rawEmail);
  if (!errors.ok) return { userErrors: errors.errors };
  const email = normalizeEmail(rawEmail);
  await context.db.transaction(async (tx) => {
    const customer = await tx.customer.findUnique({ where: { storeId_email: { storeId: store.id, email } } });
    const mailStore = await loadMailStore(tx, store.id, context.settings.storefrontUrl);
    // Accounts without a password (guest checkouts) may set one this way: the mail proves the address.
    const account = customer?.status === 'ACTIVE' ? customer : null;
    if (account && !(await issuedRecently(tx, store.id, email, account.id, 'PASSWORD_RESET'))) {
      const token = await issueCustomerToken(tx, store.id, account.id, 'PASSWORD_RESET');
      await queueMail(tx, customerMail(mailStore, account, 'PASSWORD_RESET', token));
      return;
    }
    if (!account) await issuedRecently(tx, store.id, email, null, 'PASSWORD_RESET');
    await issueNoCustomerToken(tx, store.id, 'PASSWORD_RESET');
    // The outbox statement a mail would have cost.
    await tx.mailMessage.findUnique({
      where: { storeId_id: { storeId: store.id, id: randomUUID() } },
      select: { id: true },
    });
  });
  return { userErrors: [] };
}

/**
 * Sets a new password with a reset token (once, before it expires). Every session of the account
 * ends, its log-in lock is lifted, and the address counts as verified: the mail reached it.
 */
export async function resetPassword(
  context: SubgraphContext,
  input: { token: string; password: string },
): Promise<CustomerResult> {
  const store = requireStore(context);
  // Checked first, so that a weak password does not use the link up.
  const weak = passwordProblem(input.password);
  if (weak) return { customer: null, userErrors: [userError(['input', 'password'], weak, 'WEAK_PASSWORD')] };
  const passwordHash = await hashPassword(input.password);
  return context.db.transaction(async (tx): Promise<CustomerResult> => {
    const consumed = await consumeCustomerToken(tx, store.id, 'PASSWORD_RESET', input.token);
    if (!consumed.ok)
      return {
        customer: null,
        userErrors: [userError(['input', 'token'], TOKEN_MESSAGES[consumed.code], consumed.code)],
      };
    const before = await tx.customer.findUniqueOrThrow({
      where: { storeId_id: { storeId: store.id, id: consumed.customerId } },
    });
    const customer = await tx.customer.update({
      where: { storeId_id: { storeId: store.id, id: before.id } },
      data: { passwordHash, emailVerifiedAt: before.emailVerifiedAt ?? new Date() },
    });
    await revokeAllCustomerSessions(tx, store.id, customer.id);
    await clearLogInFailures(tx, customerLogInScope(context, store.id), customer.email);
    return { customer, userErrors: [] };
  });
}

/**
 * Changes the calling customer's password after checking the current one. Every session ends
 * (a thief's too); the caller gets a new one in the answer.
 */
export async function changePassword(
  context: SubgraphContext,
  input: { currentPassword: string; newPassword: string },
): Promise<CustomerSessionPayload> {
  const customer = await requireActiveCustomer(context);
  const weak = passwordProblem(input.newPassword);
  if (weak) return noSession([userError(['input', 'newPassword'], weak, 'WEAK_PASSWORD')]);
  const wrongPassword = await confirmPassword(context, customer, input.currentPassword, ['input', 'currentPassword']);
  if (wrongPassword) return noSession([wrongPassword]);
  const passwordHash = await hashPassword(input.newPassword);
  const updated = await context.db.transaction(async (tx) => {
    const changed = await tx.customer.update({
      where: { storeId_id: { storeId: customer.storeId, id: customer.id } },
      data: { passwordHash },
    });
    await revokeAllCustomerSessions(tx, customer.storeId, customer.id);
    return changed;
  });
  return { ...(await reopenSession(context, updated)), userErrors: [] };
}
