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

/**
 * Delivers mail for the mail sender (sender.ts): through SMTP in production; without an SMTP
 * server, nowhere: the outbox row is the local copy a developer reads (`pnpm mail:outbox`).
 */
export interface Mailer {
  /** Which transport this is, for logs and the outbox rows' status (SENT or LOCAL). */
  readonly kind: 'smtp' | 'local';
  send(mail: OutgoingMail): Promise<void>;
  /** Releases the transport's connections. */
  close(): void;
}

/** The mailer without an SMTP server: each mail stays in the outbox table, marked LOCAL. */
export function localMailer(): Mailer {
  return { kind: 'local', async send() {}, close() {} };
}
