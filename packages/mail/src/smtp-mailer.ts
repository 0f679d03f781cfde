import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail } from './mailer.js';

export interface SmtpSettings {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
  url: string;
  /** The sender address of every mail; the display name is the store's. */
  from: string;
}

/**
 * The longest an SMTP exchange may stall: the mail sender's lease on a mail (sender.ts) must
 * outlast a send, or another sender could take the mail up while this one still sends it.
 */
export const SMTP_TIMEOUT_MS = 30_000;

/** A mailer that hands each mail to an SMTP server (one pooled transport per process). */
export function smtpMailer(settings: SmtpSettings): Mailer {
  const url = new URL(settings.url);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const transport = nodemailer.createTransport({
    url: settings.url,
    pool: true,
    connectionTimeout: SMTP_TIMEOUT_MS / 3,
    greetingTimeout: SMTP_TIMEOUT_MS / 3,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    kind: 'smtp',
    async send(mail: OutgoingMail) {
      await transport.sendMail({
        from: { name: mail.fromName, address: settings.from },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    },
    close() {
      transport.close();
    },
  };
}
