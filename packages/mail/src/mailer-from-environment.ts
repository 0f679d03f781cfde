import { localMailer, type Mailer } from './mailer.js';
import { smtpMailer } from './smtp-mailer.js';

/** How a process sends mail. */
export interface MailSettings {
  /** The sender address of every mail (MAIL_FROM, default no-reply@localhost). */
  from: string;
  /** The SMTP server (SMTP_URL); null: mail stays in the local outbox table. */
  smtpUrl: string | null;
}

/** The mail settings from the environment. */
export function mailSettingsFromEnvironment(): MailSettings {
  return { from: process.env.MAIL_FROM?.trim() || 'no-reply@localhost', smtpUrl: process.env.SMTP_URL?.trim() || null };
}

/** The mailer the settings name: SMTP when they name a server, else the local outbox. */
export function mailerFor(settings: MailSettings): Mailer {
  return settings.smtpUrl ? smtpMailer({ url: settings.smtpUrl, from: settings.from }) : localMailer();
}
