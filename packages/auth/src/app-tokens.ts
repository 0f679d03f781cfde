import { createHash, randomBytes } from 'node:crypto';
import { inScope, type PrismaClient } from '@commerce/database';
import { APP_GRANTABLE_PERMISSIONS, isPermission, type Permission } from './permissions.js';
import { issueAccessToken, type AppIdentity } from './tokens.js';

/** How every app token starts, so that people and secret scanners recognise one. */
export const APP_TOKEN_PREFIX = 'cgapp_';

const STORE_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_BODY = /^[A-Za-z0-9_-]{64}$/;

/**
 * How long a verified app token is trusted without asking the database again. Rotation and
 * revocation drop it at once in the process that made them and, through the event bus, in every
 * gateway; this bounds the staleness only when such a message is lost.
 */
export const APP_TOKEN_CACHE_TTL_MS = 30_000;
/** Lifetime of the access token the gateway mints for an app's requests to the subgraphs. */
const APP_ACCESS_TOKEN_TTL_SECONDS = 120;
const MAX_CACHED_TOKENS = 10_000;
/** lastUsedAt is written at most this often per app. */
const LAST_USED_RESOLUTION = '1 minute';

/** A new app token with what is stored of it: the hash and a hint to tell tokens apart. */
export interface NewAppToken {
  token: string;
  tokenHash: string;
  tokenHint: string;
}

/**
 * Mints an app token of a store: the prefix, then base64url of the store's key (so the token is
 * looked up in its store's scope) and 32 random bytes.
 */
export function newAppToken(storeId: string): NewAppToken {
  const store = Buffer.from(storeId.replaceAll('-', ''), 'hex');
  if (store.length !== STORE_BYTES) throw new Error(`not a store key: ${storeId}`);
  const token = APP_TOKEN_PREFIX + Buffer.concat([store, randomBytes(SECRET_BYTES)]).toString('base64url');
  return { token, tokenHash: hashAppToken(token), tokenHint: token.slice(-4) };
}

/** Whether a bearer token is an app token (by its prefix; it may still be unknown or malformed). */
export function isAppToken(token: string): boolean {
  return token.startsWith(APP_TOKEN_PREFIX);
}

/** The SHA-256 of an app token, as stored: the token has 256 random bits, so no slow hash is needed. */
export function hashAppToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The key of the store an app token names, or null when it is not a well-formed app token. */
function storeOfAppToken(token: string): string | null {
  const body = token.slice(APP_TOKEN_PREFIX.length);
  if (!isAppToken(token) || !TOKEN_BODY.test(body)) return null;
  const hex = Buffer.from(body, 'base64url').subarray(0, STORE_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The permissions of a stored app row that apps may hold (a row never has others; this keeps it so). */
export function appPermissions(stored: readonly string[]): Permission[] {
  return stored.filter(
    (permission): permission is Permission => isPermission(permission) && APP_GRANTABLE_PERMISSIONS.has(permission),
  );
}

/** A verified app token: the app, and the access token its requests carry to the subgraphs. */
export interface AppCredential {
  identity: AppIdentity;
  accessToken: string;
}

interface CacheEntry {
  credential: Promise<AppCredential | null>;
  appId: string | null;
  expires: number;
}

const cache = new Map<string, CacheEntry>();
/** Moves on at every forget, so that a lookup that started before one is not cached after it. */
let generation = 0;

interface AppRow {
  id: string;
  name: string;
  permissions: string[];
}

/** Mints the access token of an app's requests, valid a little longer than the cache trusts its app token. */
function credentialOf(identity: AppIdentity): Promise<AppCredential> {
  return issueAccessToken({ kind: 'app', ...identity }, APP_ACCESS_TOKEN_TTL_SECONDS).then((accessToken) => ({
    identity,
    accessToken,
  }));
}

async function lookUp(prisma: PrismaClient, token: string): Promise<AppCredential | null> {
  const storeId = storeOfAppToken(token);
  if (!storeId) return null;
  const tokenHash = hashAppToken(token);
  // One statement finds the active app and, at most once a minute, notes that it was used.
  const rows = await inScope(
    prisma,
    { storeId },
    (tx) => tx.$queryRaw<AppRow[]>`
      WITH found AS (
        SELECT "id", "name", "permissions", "lastUsedAt" FROM "App"
        WHERE "storeId" = ${storeId}::uuid AND "tokenHash" = ${tokenHash} AND "isActive"
      ), stamped AS (
        UPDATE "App" SET "lastUsedAt" = now()
        FROM found
        WHERE "App"."storeId" = ${storeId}::uuid AND "App"."id" = found."id"
          AND (found."lastUsedAt" IS NULL OR found."lastUsedAt" < now() - ${LAST_USED_RESOLUTION}::interval)
        RETURNING "App"."id"
      )
      SELECT found."id"::text AS id, found."name", found."permissions" FROM found`,
  );
  const row = rows[0];
  if (!row) return null;
  return credentialOf({ appId: row.id, storeId, name: row.name, permissions: appPermissions(row.permissions) });
}

/**
 * Verifies an app token: the active app it belongs to and the access token for its requests, or
 * null for a token that is malformed, unknown, rotated or revoked. Answers (misses too) are kept
 * for APP_TOKEN_CACHE_TTL_MS, so a busy app costs the database one statement per process that
 * often; forgetAppCredentials drops them.
 */
export function verifyAppToken(prisma: PrismaClient, token: string): Promise<AppCredential | null> {
  const tokenHash = hashAppToken(token);
  const hit = cache.get(tokenHash);
  if (hit && hit.expires > Date.now()) return hit.credential;
  const started = generation;
  const credential = lookUp(prisma, token);
  const entry: CacheEntry = { credential, appId: null, expires: Date.now() + APP_TOKEN_CACHE_TTL_MS };
  if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
  cache.set(tokenHash, entry);
  credential.then(
    (found) => {
      if (generation !== started) cache.delete(tokenHash);
      else entry.appId = found?.identity.appId ?? null;
    },
    () => cache.delete(tokenHash),
  );
  return credential;
}

/** Drops what is cached of an app's tokens (after it changed, its token rotated or it was removed), or of every app. */
export function forgetAppCredentials(appId?: string): void {
  generation += 1;
  for (const [tokenHash, entry] of cache) {
    // Entries still being looked up are dropped too: they may hold the app as it was.
    if (appId === undefined || entry.appId === appId || entry.appId === null) cache.delete(tokenHash);
  }
}

/**
 * The bearer credential of an app of a store, for requests made on its behalf (webhook payloads
 * resolved through the gateway): an access token with exactly the app's permissions in its store,
 * valid for two minutes; null when the app does not exist or is not active.
 */
export async function appAccessToken(prisma: PrismaClient, storeId: string, appId: string): Promise<string | null> {
  const app = await inScope(prisma, { storeId }, (tx) =>
    tx.app.findUnique({
      where: { storeId_id: { storeId, id: appId } },
      select: { id: true, name: true, permissions: true, isActive: true },
    }),
  );
  if (!app?.isActive) return null;
  const credential = await credentialOf({
    appId: app.id,
    storeId,
    name: app.name,
    permissions: appPermissions(app.permissions),
  });
  return credential.accessToken;
}
