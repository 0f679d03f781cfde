import { createHash } from 'node:crypto';
import { numberSetting, type Transaction } from '@commerce/database';

// Brute-force protection for customer log-ins, in two layers kept in CustomerLogInThrottle:
//  - per email: after 5 failures in a row the email is locked for 30 s, doubling with each further
//    failure up to an hour. Emails without an account are counted the same way, so a lock-out
//    (TOO_MANY_ATTEMPTS) does not reveal whether an account exists.
//  - per store: at most CUSTOMER_LOG_IN_FAILURES_PER_STORE failures (default 500) in a 15-minute
//    window across all emails; past that every log-in of the store is refused until the window
//    ends. This caps credential stuffing (few guesses for many accounts) and the password-hashing
//    work an attacker can make the store's servers do. The price: a sustained attack can pause
//    log-ins of that one store; other stores are unaffected.

const EMAIL_FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 3600;
/** A streak of failures for one email is forgotten a day after it started. */
const EMAIL_STREAK_SECONDS = 24 * 3600;
const STORE_WINDOW_SECONDS = 15 * 60;
const STORE_SUBJECT = '*';
const DEFAULT_STORE_FAILURE_LIMIT = 500;

/** Read on each use (tests change it), and once as the module loads: a malformed value stops the process at start. */
function storeFailureLimit(): number {
  return numberSetting('CUSTOMER_LOG_IN_FAILURES_PER_STORE', process.env.CUSTOMER_LOG_IN_FAILURES_PER_STORE, DEFAULT_STORE_FAILURE_LIMIT, { min: 1, whole: true });
}
storeFailureLimit();

/** The row key of an email: hashed, so the table holds no addresses of people without an account. */
function emailSubject(email: string): string {
  return `email:${createHash('sha256').update(email).digest('hex')}`;
}

/** Whether log-ins for this (normalized) email in the store are paused, by its own lock or the store's. */
export async function logInPaused(tx: Transaction, storeId: string, email: string): Promise<boolean> {
  const rows = await tx.customerLogInThrottle.findMany({ where: { storeId, subject: { in: [STORE_SUBJECT, emailSubject(email)] } } });
  const now = Date.now();
  return rows.some((row) =>
    row.subject === STORE_SUBJECT
      ? row.failures >= storeFailureLimit() && row.windowStart.getTime() > now - STORE_WINDOW_SECONDS * 1000
      : row.lockedUntil !== null && row.lockedUntil.getTime() > now,
  );
}

/**
 * Counts a failed log-in (or password confirmation) for the email and for the store, atomically
 * under concurrent attempts. When the store's window starts afresh, stale email rows are pruned.
 */
export async function recordLogInFailure(tx: Transaction, storeId: string, email: string): Promise<void> {
  const subject = emailSubject(email);
  await tx.$executeRaw`
    INSERT INTO "CustomerLogInThrottle" AS t ("storeId", "subject", "failures", "windowStart", "lockedUntil")
    VALUES (${storeId}::uuid, ${subject}, 1, now(), NULL)
    ON CONFLICT ("storeId", "subject") DO UPDATE SET
      "failures" = CASE WHEN t."windowStart" <= now() - make_interval(secs => ${EMAIL_STREAK_SECONDS}) THEN 1 ELSE t."failures" + 1 END,
      "windowStart" = CASE WHEN t."windowStart" <= now() - make_interval(secs => ${EMAIL_STREAK_SECONDS}) THEN now() ELSE t."windowStart" END,
      "lockedUntil" = CASE
        WHEN t."windowStart" > now() - make_interval(secs => ${EMAIL_STREAK_SECONDS}) AND t."failures" + 1 >= ${EMAIL_FAILURES_BEFORE_LOCK}
        THEN now() + make_interval(secs => least(${FIRST_LOCK_SECONDS} * power(2, t."failures" + 1 - ${EMAIL_FAILURES_BEFORE_LOCK}), ${MAX_LOCK_SECONDS}))
        ELSE t."lockedUntil"
      END`;
  const [store] = await tx.$queryRaw<{ failures: number }[]>`
    INSERT INTO "CustomerLogInThrottle" AS t ("storeId", "subject", "failures", "windowStart")
    VALUES (${storeId}::uuid, ${STORE_SUBJECT}, 1, now())
    ON CONFLICT ("storeId", "subject") DO UPDATE SET
      "failures" = CASE WHEN t."windowStart" <= now() - make_interval(secs => ${STORE_WINDOW_SECONDS}) THEN 1 ELSE t."failures" + 1 END,
      "windowStart" = CASE WHEN t."windowStart" <= now() - make_interval(secs => ${STORE_WINDOW_SECONDS}) THEN now() ELSE t."windowStart" END
    RETURNING "failures"`;
  if (store?.failures === 1) {
    await tx.$executeRaw`
      DELETE FROM "CustomerLogInThrottle"
      WHERE "storeId" = ${storeId}::uuid AND "subject" <> ${STORE_SUBJECT}
        AND "windowStart" <= now() - make_interval(secs => ${EMAIL_STREAK_SECONDS})
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())`;
  }
}

/** Forgets an email's failures (after a successful log-in, a password reset or the account's deletion). */
export async function clearLogInFailures(tx: Transaction, storeId: string, email: string): Promise<void> {
  await tx.customerLogInThrottle.deleteMany({ where: { storeId, subject: emailSubject(email) } });
}
