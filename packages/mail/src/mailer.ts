import { logger } from '@commerce/observability';

/** One mail a store sends to one recipient. */
export interface OutgoingMail {
  /** The store that sends it (the tenant of the outbox row). */
  storeId: string;
  /** The sender's display name, usually the store's name; the address is MAIL_FROM. */
  fromName: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends mail: through SMTP in production, into the local outbox table by default. */
export interface Mailer {
  /** Which transport this is, for logs and the README's troubleshooting. */
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Sends a mail after the change it belongs to has committed. A mail that cannot be sent does not
 * undo that change: the failure is logged and reported as false, so callers can say "try again".
 */
export async function sendAfterCommit(mailer: Mailer, mail: OutgoingMail): Promise<boolean> {
  try {
    await mailer.send(mail);
    return true;
  } catch (error) {
    logger.error(
      { err: error, subject: mail.subject, mailer: mailer.kind, storeId: mail.storeId },
      "mail to a store's recipient could not be sent",
    );
    return false;
  }
}
