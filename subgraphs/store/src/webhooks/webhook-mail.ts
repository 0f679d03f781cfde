import { inScope, ScopedDatabase, type Database } from '@commerce/database';
import {
  mailBranding,
  mailerFor,
  mailLanguage,
  renderMail,
  sendAfterCommit,
  type MailLanguage,
  type MailSettings,
  type MailWording,
} from '@commerce/mail';
import type { WebhookDisabledNotice } from './webhook-dispatcher.js';

const WORDINGS: Record<MailLanguage, (store: string, url: string, reason: string) => MailWording> = {
  en: (store, url, reason) => ({
    subject: `A webhook of ${store} was turned off`,
    greeting: 'Hello,',
    paragraphs: [
      `The webhook that sends ${store}'s events to ${url} kept failing, so it was turned off.`,
      reason,
      'Fix the receiving end, then turn the webhook on again; events from then on are sent.',
    ],
    action: 'Open the admin',
    closing: `The ${store} team`,
  }),
  de: (store, url, reason) => ({
    subject: `Ein Webhook von ${store} wurde abgeschaltet`,
    greeting: 'Hallo,',
    paragraphs: [
      `Der Webhook, der die Ereignisse von ${store} an ${url} sendet, schlug wiederholt fehl und wurde abgeschaltet.`,
      reason,
      'Beheben Sie den Fehler beim Empfänger und schalten Sie den Webhook wieder ein.',
    ],
    action: 'Zur Verwaltung',
    closing: `Ihr Team von ${store}`,
  }),
};

/** Mails the store's owners, in the store's language and branding, that a webhook was turned off. */
export function mailOwnersOnDisable(database: Database, mail: MailSettings, adminUrl: string): WebhookDisabledNotice {
  const mailerOf = mailerFor(mail);
  return async (storeId, webhook, reason) => {
    const { store, owners } = await inScope(database.prisma, { storeId }, async (tx) => ({
      store: await tx.store.findUniqueOrThrow({
        where: { id: storeId },
        select: { name: true, locale: true, branding: true },
      }),
      owners: await tx.staffMember.findMany({ where: { storeId, role: 'OWNER' }, select: { email: true } }),
    }));
    const language = mailLanguage(store.locale);
    const rendered = renderMail(
      language,
      mailBranding(store.name, store.branding),
      WORDINGS[language](store.name, webhook.url, reason),
      adminUrl,
    );
    const mailer = mailerOf(new ScopedDatabase(database, { storeId }));
    for (const { email } of owners)
      await sendAfterCommit(mailer, { storeId, fromName: store.name, to: email, ...rendered });
  };
}
