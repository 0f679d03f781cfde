import type { ScopedDatabase } from '@commerce/database';
import type { Mailer } from './mailer.js';
import { outboxMailer } from './outbox-mailer.js';
import { smtpMailer } from './smtp-mailer.js';

/** How a process sends mail. */
export interface MailSettings {
  /** The sender address of every mail (MAIL_FROM, default no-reply@localhost). */
  from: string;
  /** The SMTP server (SMTP_URL); null: the local outbox table. */
  smtpUrl: string | null;
}

/** The mail settings from the environment. */
export function mailSettingsFromEnvironment(): MailSettings {
  return { from: process.env.MAIL_FROM?.trim() || 'no-reply@localhost', smtpUrl: process.env.SMTP_URL?.trim() || null };
}

/**
 * The mailer of each request, chosen once: SMTP when the settings name a server (one transport
 * for the process), else the local outbox table, written in the request's store through its
 * scoped database.
 */
export function mailerFor(settings: MailSettings): (db: ScopedDatabase) => Mailer {
  if (!settings.smtpUrl) return (db) => outboxMailer(db);
  const smtp = smtpMailer({ url: settings.smtpUrl, from: settings.from });
  return () => smtp;
}
