import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CustomerTokenKind, Transaction } from '@commerce/database';

// Single-use, expiring tokens mailed to customers. Only a SHA-256 of the token is stored, so the
// table does not hold usable links; 32 random bytes make guessing hopeless, so no slow hash is needed.

/** How long a mailed link works, in minutes. */
export const TOKEN_VALID_MINUTES: Record<CustomerTokenKind, number> = {
  EMAIL_VERIFICATION: 3 * 24 * 60,
  PASSWORD_RESET: 30,
};

function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Issues a token of a kind for a customer. Earlier tokens of that kind stop working, so only the
 * newest link of each kind is valid.
 */
export async function issueCustomerToken(
  tx: Transaction,
  storeId: string,
  customerId: string,
  kind: CustomerTokenKind,
): Promise<{ raw: string; validMinutes: number }> {
  const raw = newSecret();
  const validMinutes = TOKEN_VALID_MINUTES[kind];
  await tx.customerToken.deleteMany({ where: { storeId, customerId, kind } });
  const now = Date.now();
  await tx.customerToken.create({
    data: {
      storeId,
      customerId,
      kind,
      tokenHash: hashToken(raw),
      createdAt: new Date(now),
      expiresAt: new Date(now + validMinutes * 60_000),
    },
  });
  return { raw, validMinutes };
}

/**
 * The same work as issuing a token, for a request about an account that does not exist: a secret
 * is generated and hashed, and two statements touch the token table (and change nothing).
 */
export async function issueNoCustomerToken(tx: Transaction, storeId: string, kind: CustomerTokenKind): Promise<void> {
  const tokenHash = hashToken(newSecret());
  await tx.customerToken.deleteMany({ where: { storeId, customerId: randomUUID(), kind } });
  await tx.customerToken.deleteMany({ where: { storeId, tokenHash } });
}

/** A token mail goes out at most once a minute per account and kind. */
export const TOKEN_MAIL_INTERVAL_MS = 60_000;

/**
 * Whether an unused token of this kind was issued to the customer less than TOKEN_MAIL_INTERVAL_MS
 * ago, so that its mail has just gone out. Requests about one address take turns here (a lock held
 * until commit), so that requests sent at once do not all find none and all mail. `subject` is
 * what identifies the request (the normalized email, or the customer), whether or not a customer
 * exists; for no customer (null), the same statements find nothing.
 */
export async function issuedRecently(
  tx: Transaction,
  storeId: string,
  subject: string,
  customerId: string | null,
  kind: CustomerTokenKind,
): Promise<boolean> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`customer-token:${storeId}:${kind}:${subject}`}, 0))`;
  const recent = await tx.customerToken.findFirst({
    where: {
      storeId,
      customerId: customerId ?? randomUUID(),
      kind,
      usedAt: null,
      createdAt: { gt: new Date(Date.now() - TOKEN_MAIL_INTERVAL_MS) },
    },
    select: { id: true },
  });
  return recent !== null;
}

export type TokenFailure = 'INVALID_TOKEN' | 'TOKEN_EXPIRED';

/** What each failure tells the customer to do. */
export const TOKEN_MESSAGES: Record<TokenFailure, string> = {
  INVALID_TOKEN: 'This link is not valid or was already used; request a new one.',
  TOKEN_EXPIRED: 'This link has expired; request a new one.',
};
export type ConsumedToken = { ok: true; customerId: string } | { ok: false; code: TokenFailure };

/**
 * Uses up a token of the expected kind in the request's store: another store's token is not
 * found. Marking it used is conditional, so two requests racing with one token cannot both succeed.
 */
export async function consumeCustomerToken(
  tx: Transaction,
  storeId: string,
  kind: CustomerTokenKind,
  raw: string,
): Promise<ConsumedToken> {
  const token = await tx.customerToken.findUnique({
    where: { storeId_tokenHash: { storeId, tokenHash: hashToken(raw.trim()) } },
  });
  if (!token || token.kind !== kind || token.usedAt) return { ok: false, code: 'INVALID_TOKEN' };
  if (token.expiresAt.getTime() <= Date.now()) return { ok: false, code: 'TOKEN_EXPIRED' };
  const { count } = await tx.customerToken.updateMany({
    where: { storeId, id: token.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? { ok: true, customerId: token.customerId } : { ok: false, code: 'INVALID_TOKEN' };
}
