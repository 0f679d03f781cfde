import { inScope, type Database } from '@commerce/database';
import { mailBranding, mailLanguage, queueMail, renderMail, type MailLanguage, type MailWording } from '@commerce/mail';
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

/**
 * Mails the store's owners, in the store's language and branding, that a webhook was turned off:
 * written to the mail outbox (one row per owner, one per webhook and time it was turned off), which
 * the senders deliver with retries.
 */
export function mailOwnersOnDisable(database: Database, adminUrl: string): WebhookDisabledNotice {
  return (storeId, webhook, reason) =>
    inScope(database.prisma, { storeId }, async (tx) => {
      const store = await tx.store.findUniqueOrThrow({
        where: { id: storeId },
        select: { name: true, locale: true, branding: true },
      });
      const owners = await tx.staffMember.findMany({ where: { storeId, role: 'OWNER' }, select: { email: true } });
      const language = mailLanguage(store.locale);
      const rendered = renderMail(
        language,
        mailBranding(store.name, store.branding),
        WORDINGS[language](store.name, webhook.url, reason),
        adminUrl,
      );
      const [{ disabledAt } = { disabledAt: null }] = await tx.webhook.findMany({
        where: { storeId, id: webhook.id },
        select: { disabledAt: true },
      });
      for (const { email } of owners)
        await queueMail(tx, {
          storeId,
          fromName: store.name,
          to: email,
          ...rendered,
          idempotencyKey: `WEBHOOK_DISABLED:${webhook.id}:${disabledAt?.toISOString() ?? ''}:${email}`,
        });
    });
}
