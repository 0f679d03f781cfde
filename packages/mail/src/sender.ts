// The mail sender: delivers the outbox's rows (outbox.ts) over SMTP. It polls, and is woken by
// the commits of this process that wrote mail. Any number of senders may run against one
// database, in one process or many:
// - a sender claims a store's due mails in one statement (FOR UPDATE SKIP LOCKED) and pushes
//   their next attempt a lease into the future, so no other sender takes them while it sends;
// - it records the outcome only if the mail is still the attempt it claimed, so a sender that
//   outlived its lease cannot overwrite what another did;
// - a sender killed mid-send leaves its mails PENDING: another sends them once the lease ends.
// Delivery is at least once: only a crash after the SMTP server took a mail and before the row
// was marked can send it twice.
import { inScope, Prisma, queryOnPool, runUncounted, type Database } from '@commerce/database';
import { logger, mailDeliveries, observeMailBacklog } from '@commerce/observability';
import { renderBuyerNotification, type RenderedNotification } from './buyer-notifications.js';
import { renderNewProductNotification, type NewProductNotificationData } from './new-product-notification.js';
import { mailerFor, type MailSettings } from './mailer-from-environment.js';
import type { Mailer } from './mailer.js';
import {
  BUYER_NOTIFICATION_KINDS,
  wakeOnMailCommit,
  type BuyerNotificationData,
  type BuyerNotificationKind,
} from './outbox.js';
import { SMTP_TIMEOUT_MS } from './smtp-mailer.js';

export interface MailSenderOptions {
  /** How often to look for due mail without being woken. Default 2,000 ms. */
  pollIntervalMs?: number;
  /** Mails claimed per store at once. Default 20. */
  batchSize?: number;
  /** Attempts before a mail is given up (FAILED). Default 10. */
  maxAttempts?: number;
  /** The wait after the first failed attempt; it doubles with each further one. Default 30 s. */
  retryBaseMs?: number;
  /** The longest wait between attempts. Default 6 hours (10 attempts span about 4 hours). */
  retryMaxMs?: number;
  /** How long a claimed mail is left to its sender before another may take it. Default 4 × the SMTP timeout. */
  leaseMs?: number;
}

/** A mail as a sender claims it. */
interface ClaimedMail {
  storeId: string;
  id: string;
  kind: string;
  to: string;
  fromName: string;
  subject: string;
  text: string;
  html: string;
  data: unknown;
  attempts: number;
}

const STORES_PER_PASS = 200;
const ERROR_MAX = 1_000;

function isBuyerNotification(kind: string): kind is BuyerNotificationKind {
  return (BUYER_NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

/** An SMTP answer that retrying will not change (5xx: unknown mailbox, refused content). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, ERROR_MAX);
}

/** Senders running in this process: the first reports the backlog, which is the database's, once. */
const backlogReporters = new Set<MailSender>();
let stopBacklogReport: (() => void) | null = null;

function reportBacklogFrom(sender: MailSender): void {
  backlogReporters.add(sender);
  stopBacklogReport ??= observeMailBacklog(async () => {
    const [reporter] = backlogReporters;
    return reporter ? reporter.backlog() : 0;
  });
}

function stopBacklogFrom(sender: MailSender): void {
  backlogReporters.delete(sender);
  if (backlogReporters.size > 0) return;
  stopBacklogReport?.();
  stopBacklogReport = null;
}

/** Delivers the mail outbox of every store through one mailer. */
export class MailSender {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly leaseMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly stops: Array<() => void> = [];

  /** `database`: the app role's; its looks for due mail go to the pool (queryOnPool), the rest through Prisma. */
  constructor(
    private readonly database: Database,
    private readonly mailer: Mailer,
    options: MailSenderOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.batchSize = options.batchSize ?? 20;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.retryBaseMs = options.retryBaseMs ?? 30_000;
    this.retryMaxMs = options.retryMaxMs ?? 6 * 3_600_000;
    this.leaseMs = options.leaseMs ?? 4 * SMTP_TIMEOUT_MS;
  }

  /** Starts polling and listening for this process's commits; sends what is due at once. */
  start(): this {
    this.stops.push(wakeOnMailCommit(this.database.prisma, () => this.wake()));
    reportBacklogFrom(this);
    this.stops.push(() => stopBacklogFrom(this));
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
    this.wake();
    return this;
  }

  /** Sends what is due now (after the pass under way, if any). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Woken from a request's commit, the pass would otherwise run in that request's context.
    this.running = runUncounted(async () => {
      do {
        this.again = false;
        try {
          if ((await this.runOnce()) > 0) this.again = true;
        } catch (error) {
          logger.error({ err: error }, 'mail sender: a pass failed; the next poll tries again');
        }
      } while (this.again && !this.stopped);
    }).finally(() => {
      this.running = null;
    });
  }

  /** Stops polling and waits for the pass under way (its mails are marked before it returns). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const stop of this.stops.splice(0)) stop();
    await this.running;
    this.mailer.close();
  }

  /** One pass: claims and delivers the due mails of every store that has some; returns how many it handled. */
  async runOnce(): Promise<number> {
    const stores = await queryOnPool<{ storeId: string }>(
      this.database,
      Prisma.sql`SELECT "storeId"::text AS "storeId" FROM app_stores_with_mail_due(${STORES_PER_PASS}::int)`,
    );
    let handled = 0;
    for (const { storeId } of stores) {
      if (this.stopped) break;
      const mails = await this.claim(storeId);
      for (const mail of mails) await this.deliver(mail);
      handled += mails.length;
    }
    return handled;
  }

  /** Mails of every store waiting to be sent. */
  async backlog(): Promise<number> {
    const [row] = await queryOnPool<{ backlog: bigint }>(
      this.database,
      Prisma.sql`SELECT app_mail_outbox_backlog() AS backlog`,
    );
    return Number(row?.backlog ?? 0);
  }

  private claim(storeId: string): Promise<ClaimedMail[]> {
    return inScope(
      this.database.prisma,
      { storeId },
      (tx) => tx.$queryRaw<ClaimedMail[]>`
        UPDATE "MailMessage" m
        SET "attempts" = m."attempts" + 1,
            "nextAttemptAt" = CURRENT_TIMESTAMP + make_interval(secs => ${this.leaseMs / 1000}::float8)
        WHERE m."storeId" = ${storeId}::uuid AND m."id" IN (
          SELECT d."id" FROM "MailMessage" d
          WHERE d."storeId" = ${storeId}::uuid AND d."status" = 'PENDING' AND d."nextAttemptAt" <= CURRENT_TIMESTAMP
          ORDER BY d."nextAttemptAt", d."id"
          LIMIT ${this.batchSize}::int
          FOR UPDATE SKIP LOCKED)
        RETURNING m."storeId"::text AS "storeId", m."id"::text AS "id", m."kind", m."to", m."fromName",
                  m."subject", m."text", m."html", m."data", m."attempts"`,
    );
  }

  /** An account mail as it was written; a buyer notification rendered from the current data. */
  private async render(mail: ClaimedMail): Promise<RenderedNotification | null> {
    const { kind } = mail;
    if (!isBuyerNotification(kind))
      return { fromName: mail.fromName, subject: mail.subject, text: mail.text, html: mail.html };
    return inScope(this.database.prisma, { storeId: mail.storeId }, (tx) =>
      kind === 'NEW_PRODUCT'
        ? renderNewProductNotification(tx, mail.storeId, mail.data as NewProductNotificationData)
        : renderBuyerNotification(tx, mail.storeId, kind, mail.data as BuyerNotificationData),
    );
  }

  private async deliver(mail: ClaimedMail): Promise<void> {
    let rendered: RenderedNotification | null;
    try {
      rendered = await this.render(mail);
      if (!rendered) {
        await this.giveUp(mail, 'What the mail is about no longer exists, or its recipient no longer receives it.');
        return;
      }
      await this.mailer.send({ storeId: mail.storeId, to: mail.to, ...rendered });
    } catch (error) {
      await this.failed(mail, error);
      return;
    }
    const status = this.mailer.kind === 'smtp' ? 'SENT' : 'LOCAL';
    // An account mail's links carry tokens the database otherwise keeps only hashed: once the
    // SMTP server has it, the row keeps its subject and no body.
    const body = status === 'SENT' && !isBuyerNotification(mail.kind) ? { text: '', html: '' } : rendered;
    await inScope(
      this.database.prisma,
      { storeId: mail.storeId },
      (tx) => tx.$executeRaw`
        UPDATE "MailMessage"
        SET "status" = ${status}::"MailStatus", "sentAt" = CURRENT_TIMESTAMP, "lastError" = NULL,
            "fromName" = ${rendered.fromName}, "subject" = ${rendered.subject}, "text" = ${body.text}, "html" = ${body.html}
        WHERE "storeId" = ${mail.storeId}::uuid AND "id" = ${mail.id}::uuid
          AND "status" = 'PENDING' AND "attempts" = ${mail.attempts}::int`,
    );
    mailDeliveries.inc({ outcome: status === 'SENT' ? 'sent' : 'local' });
  }

  private async failed(mail: ClaimedMail, error: unknown): Promise<void> {
    const reason = describe(error);
    if (isPermanent(error) || mail.attempts >= this.maxAttempts) {
      await this.giveUp(mail, reason);
      return;
    }
    const delayMs = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (mail.attempts - 1));
    logger.warn(
      { storeId: mail.storeId, mailId: mail.id, attempts: mail.attempts, retryInMs: delayMs, reason },
      'mail sender: a mail could not be sent; it is tried again later',
    );
    await inScope(
      this.database.prisma,
      { storeId: mail.storeId },
      (tx) => tx.$executeRaw`
        UPDATE "MailMessage"
        SET "nextAttemptAt" = CURRENT_TIMESTAMP + make_interval(secs => ${delayMs / 1000}::float8), "lastError" = ${reason}
        WHERE "storeId" = ${mail.storeId}::uuid AND "id" = ${mail.id}::uuid
          AND "status" = 'PENDING' AND "attempts" = ${mail.attempts}::int`,
    );
    mailDeliveries.inc({ outcome: 'retry' });
  }

  private async giveUp(mail: ClaimedMail, reason: string): Promise<void> {
    logger.error(
      { storeId: mail.storeId, mailId: mail.id, attempts: mail.attempts, reason },
      'mail sender: a mail was given up (FAILED)',
    );
    await inScope(
      this.database.prisma,
      { storeId: mail.storeId },
      (tx) => tx.$executeRaw`
        UPDATE "MailMessage"
        SET "status" = 'FAILED', "lastError" = ${reason},
            "text" = CASE WHEN "kind" = 'ACCOUNT' THEN '' ELSE "text" END,
            "html" = CASE WHEN "kind" = 'ACCOUNT' THEN '' ELSE "html" END
        WHERE "storeId" = ${mail.storeId}::uuid AND "id" = ${mail.id}::uuid
          AND "status" = 'PENDING' AND "attempts" = ${mail.attempts}::int`,
    );
    mailDeliveries.inc({ outcome: 'failed' });
  }
}

/** Senders running in this process, one per database handle, shared by the subgraphs that start one. */
const running = new Map<Database, { sender: MailSender; users: number }>();

/**
 * Starts the mail sender of a subgraph's background work: one per database handle in a process
 * (the subgraphs of `pnpm start` share it), stopped when the last subgraph that started it stops.
 */
export function startMailSender(
  database: Database,
  settings: MailSettings,
  options: MailSenderOptions = {},
): { stop(): Promise<void> } {
  let entry = running.get(database);
  if (!entry) {
    entry = { sender: new MailSender(database, mailerFor(settings), options).start(), users: 0 };
    running.set(database, entry);
  }
  entry.users += 1;
  const shared = entry;
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      if (running.get(database) === shared) running.delete(database);
      await shared.sender.stop();
    },
  };
}
