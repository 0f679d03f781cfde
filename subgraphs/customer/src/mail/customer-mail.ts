import type { Transaction } from '@commerce/database';
import { mailBranding, mailLanguage, type MailBranding, type OutgoingMail } from '@commerce/mail';
import { renderCustomerMail, type CustomerMailKind } from './customer-mail-templates.js';
import { accountLink, tokenLink, type StorefrontAddress } from './storefront-links.js';

/** What customer mails need of the store: read in the tenant transaction that issues the mail. */
export interface MailStore extends StorefrontAddress {
  id: string;
  locale: string;
  emailVerificationRequired: boolean;
  branding: MailBranding;
}

/** The store's mail settings, branding and verified custom domain (if any), in one statement; storefrontUrl is STOREFRONT_URL. */
export async function loadMailStore(tx: Transaction, storeId: string, storefrontUrl: string): Promise<MailStore> {
  const store = await tx.store.findUniqueOrThrow({
    where: { id: storeId },
    select: {
      id: true,
      name: true,
      slug: true,
      locale: true,
      branding: true,
      emailVerificationRequired: true,
      domains: {
        where: { verifiedAt: { not: null } },
        select: { hostname: true },
        orderBy: { createdAt: 'asc' },
        take: 1,
      },
    },
  });
  return {
    id: store.id,
    slug: store.slug,
    locale: store.locale,
    emailVerificationRequired: store.emailVerificationRequired,
    branding: mailBranding(store.name, store.branding),
    customDomain: store.domains[0]?.hostname ?? null,
    storefrontUrl,
  };
}

export interface MailRecipient {
  email: string;
  firstName: string;
  /** The customer's language preference; the store's locale applies when it is null. */
  locale: string | null;
}

/** A token mail's link: the raw token and how long it works. */
export interface MailToken {
  raw: string;
  validMinutes: number;
}

/** Composes one of the customer mails in the customer's (or else the store's) language. */
export function customerMail(
  store: MailStore,
  recipient: MailRecipient,
  kind: CustomerMailKind,
  token?: MailToken,
): OutgoingMail {
  const link =
    kind === 'WELCOME' || !token
      ? accountLink(store)
      : tokenLink(store, kind === 'EMAIL_VERIFICATION' ? 'verify-email' : 'reset-password', token.raw);
  const rendered = renderCustomerMail({
    kind,
    language: mailLanguage(recipient.locale, store.locale),
    branding: store.branding,
    firstName: recipient.firstName,
    link,
    validMinutes: token?.validMinutes ?? 0,
  });
  return { storeId: store.id, fromName: store.branding.storeName, to: recipient.email, ...rendered };
}
