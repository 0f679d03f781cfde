import type { ScopedDatabase } from '@commerce/database';
import type { Mailer, OutgoingMail } from './mailer.js';

/**
 * A mailer that sends nothing: each mail becomes a MailMessage row of its store, so developers
 * can read verification and reset links without a mail server (`pnpm mail:outbox`).
 */
export function outboxMailer(db: ScopedDatabase): Mailer {
  return {
    kind: 'outbox',
    async send(mail: OutgoingMail) {
      await db.transaction((tx) =>
        tx.mailMessage.create({
          data: { storeId: mail.storeId, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html },
        }),
      );
    },
  };
}
