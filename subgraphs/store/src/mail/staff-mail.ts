import type { StaffRole, Transaction } from '@commerce/database';
import {
  mailBranding,
  mailLanguage,
  renderMail,
  type MailLanguage,
  type MailWording,
  type OutgoingMail,
} from '@commerce/mail';

/** Whom a staff mail tells what: a seller added to a store, or an email invited to one. */
export interface StaffMailContent {
  email: string;
  role: StaffRole;
  /** Whether the email has no seller account yet (an invitation that sign-up takes up). */
  invitation: boolean;
  /** Who added them, as the staff list names them. */
  inviterName: string | null;
}

const ROLE_NAMES: Record<MailLanguage, Record<StaffRole, string>> = {
  en: { OWNER: 'an owner', ADMIN: 'an administrator', MANAGER: 'a manager', STAFF: 'a staff member' },
  de: { OWNER: 'Inhaber', ADMIN: 'Administrator', MANAGER: 'Manager', STAFF: 'Mitarbeiter' },
};

const WORDINGS: Record<MailLanguage, (store: string, content: StaffMailContent) => MailWording> = {
  en: (store, { role, invitation, email, inviterName }) => {
    const as = ROLE_NAMES.en[role];
    return invitation
      ? {
          subject: `You are invited to help run ${store}`,
          greeting: 'Hello,',
          paragraphs: [
            inviterName
              ? `${inviterName} invited you to join ${store} as ${as}.`
              : `You are invited to join ${store} as ${as}.`,
            `Sign up with this email address (${email}) and you can start at once.`,
          ],
          action: 'Sign up',
          closing: `The ${store} team`,
        }
      : {
          subject: `You now have access to ${store}`,
          greeting: 'Hello,',
          paragraphs: [
            inviterName
              ? `${inviterName} added you to the staff of ${store} as ${as}.`
              : `You were added to the staff of ${store} as ${as}.`,
            'Sign in to start.',
          ],
          action: 'Sign in',
          closing: `The ${store} team`,
        };
  },
  de: (store, { role, invitation, email, inviterName }) => {
    const as = ROLE_NAMES.de[role];
    return invitation
      ? {
          subject: `Einladung zu ${store}`,
          greeting: 'Hallo,',
          paragraphs: [
            inviterName
              ? `${inviterName} hat Sie als ${as} zu ${store} eingeladen.`
              : `Sie sind als ${as} zu ${store} eingeladen.`,
            `Registrieren Sie sich mit dieser E-Mail-Adresse (${email}), dann können Sie sofort loslegen.`,
          ],
          action: 'Registrieren',
          closing: `Ihr Team von ${store}`,
        }
      : {
          subject: `Sie haben jetzt Zugang zu ${store}`,
          greeting: 'Hallo,',
          paragraphs: [
            inviterName
              ? `${inviterName} hat Sie als ${as} ins Team von ${store} aufgenommen.`
              : `Sie sind als ${as} ins Team von ${store} aufgenommen.`,
            'Melden Sie sich an, um loszulegen.',
          ],
          action: 'Anmelden',
          closing: `Ihr Team von ${store}`,
        };
  },
};

/** The mail that tells a new staff member (or invitee) about it, in the store's language and branding, with a button to adminUrl (ADMIN_URL). */
export async function staffMail(
  tx: Transaction,
  storeId: string,
  content: StaffMailContent,
  adminUrl: string,
): Promise<OutgoingMail> {
  const store = await tx.store.findUniqueOrThrow({
    where: { id: storeId },
    select: { name: true, locale: true, branding: true },
  });
  const branding = mailBranding(store.name, store.branding);
  const language = mailLanguage(store.locale);
  const rendered = renderMail(language, branding, WORDINGS[language](store.name, content), adminUrl);
  return { storeId, fromName: store.name, to: content.email, ...rendered };
}
