import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { inScope, isUuid, type PrismaClient, type Transaction } from '@commerce/database';
import { authSettings } from './settings.js';
import type { TokenSubject } from './tokens.js';

const SELLER_PREFIX = 'rs_';
const CUSTOMER_PREFIX = 'rc_';

function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

/** Issues a seller refresh token (stored hashed) in a new family unless one is given. */
export async function issueSellerRefreshToken(
  tx: Transaction,
  sellerId: string,
  familyId: string = randomUUID(),
): Promise<string> {
  const raw = SELLER_PREFIX + secret();
  await tx.sellerRefreshToken.create({
    data: {
      sellerId,
      familyId,
      tokenHash: hashToken(raw),
      expiresAt: new Date(Date.now() + authSettings().refreshTokenTtlMs),
    },
  });
  return raw;
}

/**
 * Issues a customer refresh token. It names its store (not secret) so that it can be looked up
 * under that store's row-level security without any other context.
 */
export async function issueCustomerRefreshToken(
  tx: Transaction,
  storeId: string,
  customerId: string,
  familyId: string = randomUUID(),
): Promise<string> {
  const raw = `${CUSTOMER_PREFIX}${storeId}_${secret()}`;
  await tx.customerRefreshToken.create({
    data: {
      storeId,
      customerId,
      familyId,
      tokenHash: hashToken(raw),
      expiresAt: new Date(Date.now() + authSettings().refreshTokenTtlMs),
    },
  });
  return raw;
}

export type RefreshFailure = 'INVALID_REFRESH_TOKEN' | 'REFRESH_TOKEN_EXPIRED' | 'REFRESH_TOKEN_REUSED';
export type RefreshResult =
  | { ok: true; subject: TokenSubject; refreshToken: string }
  | { ok: false; code: RefreshFailure };

type ParsedToken = { kind: 'seller' } | { kind: 'customer'; storeId: string } | null;

function parse(raw: string): ParsedToken {
  if (raw.startsWith(SELLER_PREFIX)) return { kind: 'seller' };
  if (raw.startsWith(CUSTOMER_PREFIX)) {
    const storeId = raw.slice(CUSTOMER_PREFIX.length, CUSTOMER_PREFIX.length + 36);
    return isUuid(storeId) ? { kind: 'customer', storeId } : null;
  }
  return null;
}

interface StoredToken {
  id: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/** The operations rotation needs, over either token table. */
interface TokenTable {
  find(tokenHash: string): Promise<(StoredToken & { subject: TokenSubject }) | null>;
  /** Marks the token used if nobody has; false when another request got there first. */
  markUsed(id: string): Promise<boolean>;
  revokeFamily(familyId: string): Promise<void>;
  issue(subject: TokenSubject, familyId: string): Promise<string>;
}

function sellerTable(tx: Transaction): TokenTable {
  return {
    async find(tokenHash) {
      const row = await tx.sellerRefreshToken.findUnique({ where: { tokenHash } });
      return row && { ...row, subject: { kind: 'seller', sellerId: row.sellerId } };
    },
    async markUsed(id) {
      const { count } = await tx.sellerRefreshToken.updateMany({
        where: { id, usedAt: null, revokedAt: null },
        data: { usedAt: new Date() },
      });
      return count === 1;
    },
    async revokeFamily(familyId) {
      await tx.sellerRefreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
    },
    issue: (subject, familyId) =>
      issueSellerRefreshToken(tx, subject.kind === 'seller' ? subject.sellerId : '', familyId),
  };
}

function customerTable(tx: Transaction, storeId: string): TokenTable {
  return {
    async find(tokenHash) {
      const row = await tx.customerRefreshToken.findUnique({
        where: { storeId_tokenHash: { storeId, tokenHash } },
        include: { customer: { select: { status: true } } },
      });
      // A suspended, blocked or deleted account's sessions are revoked when its status changes;
      // this keeps any that slipped through (issued concurrently) from being renewed.
      if (row?.customer.status !== 'ACTIVE') return null;
      return { ...row, subject: { kind: 'customer', customerId: row.customerId, storeId: row.storeId } };
    },
    async markUsed(id) {
      const { count } = await tx.customerRefreshToken.updateMany({
        where: { storeId, id, usedAt: null, revokedAt: null },
        data: { usedAt: new Date() },
      });
      return count === 1;
    },
    async revokeFamily(familyId) {
      await tx.customerRefreshToken.updateMany({
        where: { storeId, familyId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
    },
    issue: (subject, familyId) =>
      issueCustomerRefreshToken(tx, storeId, subject.kind === 'customer' ? subject.customerId : '', familyId),
  };
}

function withTable<T>(
  prisma: PrismaClient,
  raw: string,
  fn: (table: TokenTable) => Promise<T>,
  fallback: T,
): Promise<T> {
  const parsed = parse(raw);
  if (!parsed) return Promise.resolve(fallback);
  return parsed.kind === 'seller'
    ? inScope(prisma, {}, (tx) => fn(sellerTable(tx)))
    : inScope(prisma, { storeId: parsed.storeId }, (tx) => fn(customerTable(tx, parsed.storeId)));
}

/**
 * Exchanges a refresh token for a new one of the same family. A token presented twice means it
 * leaked: the whole family is revoked and both holders must sign in again.
 */
export function rotateRefreshToken(prisma: PrismaClient, raw: string): Promise<RefreshResult> {
  const invalid: RefreshResult = { ok: false, code: 'INVALID_REFRESH_TOKEN' };
  return withTable(
    prisma,
    raw,
    async (table): Promise<RefreshResult> => {
      const token = await table.find(hashToken(raw));
      if (!token) return invalid;
      if (token.revokedAt || token.usedAt || !(await table.markUsed(token.id))) {
        await table.revokeFamily(token.familyId);
        return { ok: false, code: 'REFRESH_TOKEN_REUSED' };
      }
      if (token.expiresAt.getTime() <= Date.now()) return { ok: false, code: 'REFRESH_TOKEN_EXPIRED' };
      return { ok: true, subject: token.subject, refreshToken: await table.issue(token.subject, token.familyId) };
    },
    invalid,
  );
}

/** Revokes the family of a refresh token (log out of that session). False if the token is unknown. */
export function revokeRefreshToken(prisma: PrismaClient, raw: string): Promise<boolean> {
  return withTable(
    prisma,
    raw,
    async (table) => {
      const token = await table.find(hashToken(raw));
      if (!token) return false;
      await table.revokeFamily(token.familyId);
      return true;
    },
    false,
  );
}

/**
 * Ends every session of a customer (log out everywhere, password reset, suspension): all their
 * refresh tokens are revoked in the caller's transaction. Returns how many sessions were open.
 */
export async function revokeAllCustomerSessions(tx: Transaction, storeId: string, customerId: string): Promise<number> {
  const now = new Date();
  const open = await tx.customerRefreshToken.findMany({
    where: { storeId, customerId, revokedAt: null, usedAt: null, expiresAt: { gt: now } },
    select: { familyId: true },
    distinct: ['familyId'],
  });
  await tx.customerRefreshToken.updateMany({
    where: { storeId, customerId, revokedAt: null },
    data: { revokedAt: now },
  });
  return open.length;
}
