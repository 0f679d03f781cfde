import { createHash } from 'node:crypto';
import { Prisma, type Transaction } from '@commerce/database';

// Brute-force protection of log-ins: one set of rules for sellers and customers.
//  - Per email: after 5 failures in a row the email is locked for 30 s, doubling with each further
//    failure up to an hour; a streak is forgotten a day after it started. Rows are keyed by a hash
//    of the email, never by an account, and an email without an account is counted exactly like
//    one with an account: the answers, and the attempt at which TOO_MANY_ATTEMPTS starts, do not
//    tell whether an account exists.
//  - Per scope: every failure of the scope counts in a 15-minute window. A scope with a budget
//    pauses all its log-ins once the window's failures reach it, until the window ends. A store's
//    customers have one: it caps credential stuffing (few guesses for many accounts) and the
//    password hashing an attacker can make the store's servers do, at the price that a sustained
//    attack can pause log-ins of that one store. Sellers sign in at platform scope, where a budget
//    would let one attacker pause every seller's log-in, so they have none (the gateway's
//    per-caller rate limit bounds one caller). Either way, a new window prunes stale email rows.

const EMAIL_FAILURES_BEFORE_LOCK = 5;
const FIRST_LOCK_SECONDS = 30;
const MAX_LOCK_SECONDS = 3600;
/** A streak of failures for one email is forgotten a day after it started. */
const EMAIL_STREAK_SECONDS = 24 * 3600;
const SCOPE_WINDOW_SECONDS = 15 * 60;
/** The row that counts the scope's failures in its window. */
const SCOPE_SUBJECT = '*';

/**
 * Whose log-ins are counted: the customers of one store (in its tenant transaction, with at most
 * `failureBudget` failures per window), or the sellers of the platform.
 */
export type LogInScope = { kind: 'customers'; storeId: string; failureBudget: number } | { kind: 'sellers' };

/** Where a scope's rows live, as SQL pieces: the table, its key columns, a key's values, and the scope's rows. */
interface ThrottleRows {
  table: Prisma.Sql;
  keyColumns: Prisma.Sql;
  key: (subject: string) => Prisma.Sql;
  inScope: Prisma.Sql;
  failureBudget: number | null;
}

function rowsOf(scope: LogInScope): ThrottleRows {
  if (scope.kind === 'sellers') {
    return {
      table: Prisma.raw('"SellerLogInThrottle"'),
      keyColumns: Prisma.raw('"subject"'),
      key: (subject) => Prisma.sql`${subject}`,
      inScope: Prisma.sql`TRUE`,
      failureBudget: null,
    };
  }
  const storeId = scope.storeId;
  return {
    table: Prisma.raw('"CustomerLogInThrottle"'),
    keyColumns: Prisma.raw('"storeId", "subject"'),
    key: (subject) => Prisma.sql`${storeId}::uuid, ${subject}`,
    inScope: Prisma.sql`"storeId" = ${storeId}::uuid`,
    failureBudget: scope.failureBudget,
  };
}

/** The row key of an email: hashed, so the table holds no addresses of people without an account. */
function emailSubject(email: string): string {
  return `email:${createHash('sha256').update(email).digest('hex')}`;
}

/** Whether log-ins for this (normalized) email are paused, by the email's own lock or the scope's budget. */
export async function logInPaused(tx: Transaction, scope: LogInScope, email: string): Promise<boolean> {
  const rows = rowsOf(scope);
  const [found] = await tx.$queryRaw<{ paused: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM ${rows.table}
      WHERE ${rows.inScope} AND (
        ("subject" = ${emailSubject(email)} AND "lockedUntil" > now())
        OR ("subject" = ${SCOPE_SUBJECT} AND "failures" >= ${rows.failureBudget}::int
            AND "windowStart" > now() - make_interval(secs => ${SCOPE_WINDOW_SECONDS}))
      )
    ) AS "paused"`;
  return found?.paused ?? false;
}

// Citus runs DO UPDATE SET on the node that holds the row and allows only IMMUTABLE functions
// there, while now() and timestamptz ± interval are STABLE. So in DO UPDATE SET the time is the
// proposed row's "windowStart" (VALUES sets it to now()), an age is timestamptz - timestamptz, and
// a lock's end is computed in UTC, where timestamp + interval is IMMUTABLE.
const NOW = Prisma.sql`EXCLUDED."windowStart"`;

/** In DO UPDATE SET: whether the existing row's window started at least `seconds` ago. */
function startedAgo(seconds: number): Prisma.Sql {
  return Prisma.sql`${NOW} - t."windowStart" >= make_interval(secs => ${seconds})`;
}

/**
 * Counts a failed log-in (or password confirmation) for the email and for the scope, atomically
 * under concurrent attempts. When the scope's window starts afresh, stale email rows are pruned.
 */
export async function recordLogInFailure(tx: Transaction, scope: LogInScope, email: string): Promise<void> {
  const rows = rowsOf(scope);
  const streakOver = startedAgo(EMAIL_STREAK_SECONDS);
  const lockSeconds = Prisma.sql`least(${FIRST_LOCK_SECONDS} * power(2, t."failures" + 1 - ${EMAIL_FAILURES_BEFORE_LOCK}), ${MAX_LOCK_SECONDS})`;
  await tx.$executeRaw`
    INSERT INTO ${rows.table} AS t (${rows.keyColumns}, "failures", "windowStart", "lockedUntil")
    VALUES (${rows.key(emailSubject(email))}, 1, now(), NULL)
    ON CONFLICT (${rows.keyColumns}) DO UPDATE SET
      "failures" = CASE WHEN ${streakOver} THEN 1 ELSE t."failures" + 1 END,
      "windowStart" = CASE WHEN ${streakOver} THEN ${NOW} ELSE t."windowStart" END,
      "lockedUntil" = CASE
        WHEN NOT ${streakOver} AND t."failures" + 1 >= ${EMAIL_FAILURES_BEFORE_LOCK}
        THEN (${NOW} AT TIME ZONE 'UTC' + make_interval(secs => ${lockSeconds})) AT TIME ZONE 'UTC'
        ELSE t."lockedUntil"
      END`;
  const windowOver = startedAgo(SCOPE_WINDOW_SECONDS);
  const [window] = await tx.$queryRaw<{ failures: number }[]>`
    INSERT INTO ${rows.table} AS t (${rows.keyColumns}, "failures", "windowStart")
    VALUES (${rows.key(SCOPE_SUBJECT)}, 1, now())
    ON CONFLICT (${rows.keyColumns}) DO UPDATE SET
      "failures" = CASE WHEN ${windowOver} THEN 1 ELSE t."failures" + 1 END,
      "windowStart" = CASE WHEN ${windowOver} THEN ${NOW} ELSE t."windowStart" END
    RETURNING "failures"`;
  if (window?.failures === 1) {
    await tx.$executeRaw`
      DELETE FROM ${rows.table}
      WHERE ${rows.inScope} AND "subject" <> ${SCOPE_SUBJECT}
        AND "windowStart" <= now() - make_interval(secs => ${EMAIL_STREAK_SECONDS})
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= now())`;
  }
}

/** Forgets an email's failures (after a successful log-in, a password reset or the account's deletion). */
export async function clearLogInFailures(tx: Transaction, scope: LogInScope, email: string): Promise<void> {
  const rows = rowsOf(scope);
  await tx.$executeRaw`DELETE FROM ${rows.table} WHERE ${rows.inScope} AND "subject" = ${emailSubject(email)}`;
}
