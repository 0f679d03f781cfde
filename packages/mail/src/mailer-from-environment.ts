import type { ScopedDatabase } from '@commerce/database';
import type { Mailer } from './mailer.js';
import { outboxMailer } from './outbox-mailer.js';
import { smtpMailer } from './smtp-mailer.js';

const DEFAULT_FROM = 'no-reply@localhost';

/** The sender address of every mail (MAIL_FROM). */
export function mailFrom(): string {
  return process.env.MAIL_FROM?.trim() || DEFAULT_FROM;
}

let smtp: { url: string; mailer: Mailer } | undefined;

/**
 * The mailer the environment asks for: SMTP when SMTP_URL is set (one transport per process),
 * else the local outbox table, written in the request's store through its scoped database.
 */
export function mailerFromEnvironment(db: ScopedDatabase): Mailer {
  const url = process.env.SMTP_URL?.trim();
  if (!url) return outboxMailer(db);
  if (smtp?.url !== url) smtp = { url, mailer: smtpMailer({ url, from: mailFrom() }) };
  return smtp.mailer;
}
