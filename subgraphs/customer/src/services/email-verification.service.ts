import { requireStore, userError, type UserError } from '@commerce/graphql-kit';
import { queueMail } from '@commerce/mail';
import type { SubgraphContext } from '../context.js';
import { customerMail, loadMailStore } from '../mail/customer-mail.js';
import { consumeCustomerToken, issueCustomerToken, issuedRecently, TOKEN_MESSAGES } from './customer-token.js';
import { requireActiveCustomer } from './customer.service.js';
import type { CustomerResult } from './result.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

// The mail that sends a verification link at sign-up is in customer-auth.service.ts; checkout
// (order subgraph) refuses unverified customers of stores that require verification.

/** Mails a new verification link to the calling customer (at most one a minute). */
export async function resendEmailVerification(
  context: SubgraphContext,
): Promise<{ sent: boolean; userErrors: UserError<CustomerErrorCode>[] }> {
  const customer = await requireActiveCustomer(context);
  if (customer.emailVerifiedAt)
    return {
      sent: false,
      userErrors: [userError(null, 'Your email address is already verified.', 'ALREADY_VERIFIED')],
    };
  const queued = await context.db.transaction(async (tx) => {
    if (await issuedRecently(tx, customer.storeId, customer.id, customer.id, 'EMAIL_VERIFICATION')) return false;
    const token = await issueCustomerToken(tx, customer.storeId, customer.id, 'EMAIL_VERIFICATION');
    const mailStore = await loadMailStore(tx, customer.storeId, context.settings.storefrontUrl);
    // Written with the token, and sent once both have committed.
    await queueMail(tx, customerMail(mailStore, customer, 'EMAIL_VERIFICATION', token));
    return true;
  });
  if (!queued)
    return {
      sent: false,
      userErrors: [
        userError(null, 'A verification mail was sent less than a minute ago; check your inbox.', 'TOO_SOON'),
      ],
    };
  return { sent: true, userErrors: [] };
}

/** Marks the email address of the token's customer as verified (the token works once, before it expires). */
export async function verifyEmail(context: SubgraphContext, token: string): Promise<CustomerResult> {
  const store = requireStore(context);
  return context.db.transaction(async (tx): Promise<CustomerResult> => {
    const consumed = await consumeCustomerToken(tx, store.id, 'EMAIL_VERIFICATION', token);
    if (!consumed.ok)
      return { customer: null, userErrors: [userError(['token'], TOKEN_MESSAGES[consumed.code], consumed.code)] };
    const customer = await tx.customer.update({
      where: { storeId_id: { storeId: store.id, id: consumed.customerId } },
      data: { emailVerifiedAt: new Date() },
    });
    return { customer, userErrors: [] };
  });
}
