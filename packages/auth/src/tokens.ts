import { SignJWT, createLocalJWKSet, jwtVerify, errors } from 'jose';
import { TOKEN_ALGORITHM, signingKeys } from './keys.js';
import { APP_GRANTABLE_PERMISSIONS, isPermission, type Permission } from './permissions.js';
import { authSettings } from './settings.js';

/** An app of a store: what it is called and what it may do there. */
export interface AppIdentity {
  appId: string;
  storeId: string;
  name: string;
  permissions: readonly Permission[];
}

/** Who signed-in callers are. Customers and apps belong to exactly one store. */
export type Principal =
  | { kind: 'seller'; sellerId: string; expiresAt: number }
  | { kind: 'customer'; customerId: string; storeId: string; expiresAt: number }
  | ({ kind: 'app'; expiresAt: number } & AppIdentity);

export const SELLER_AUDIENCE = 'commerce:seller';
export const CUSTOMER_AUDIENCE = 'commerce:customer';
/** Access tokens of apps: minted by the gateway for the subgraphs from a verified app token, never handed to clients. */
export const APP_AUDIENCE = 'commerce:app';

export type TokenSubject =
  | { kind: 'seller'; sellerId: string }
  | { kind: 'customer'; customerId: string; storeId: string }
  | ({ kind: 'app' } & AppIdentity);

/** Signs a short-lived access token for a seller or a customer (lifetime: ACCESS_TOKEN_TTL_SECONDS unless given). */
export async function issueAccessToken(
  subject: TokenSubject,
  lifetimeSeconds = authSettings().accessTokenTtlSeconds,
): Promise<string> {
  const { privateKey, kid } = await signingKeys();
  const jwt =
    subject.kind === 'seller'
      ? new SignJWT({}).setSubject(subject.sellerId).setAudience(SELLER_AUDIENCE)
      : subject.kind === 'customer'
        ? new SignJWT({ store: subject.storeId }).setSubject(subject.customerId).setAudience(CUSTOMER_AUDIENCE)
        : new SignJWT({ store: subject.storeId, name: subject.name, permissions: [...subject.permissions] })
            .setSubject(subject.appId)
            .setAudience(APP_AUDIENCE);
  return jwt
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'JWT' })
    .setIssuer(authSettings().issuer)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(privateKey);
}

export class InvalidTokenError extends Error {}

let keySet: Promise<ReturnType<typeof createLocalJWKSet>> | undefined;

/** Verifies an access token: pinned algorithm, issuer, audience and expiry all required. */
export async function verifyAccessToken(token: string): Promise<Principal> {
  keySet ??= signingKeys().then(({ publicJwks }) => createLocalJWKSet({ keys: publicJwks }));
  try {
    const { payload } = await jwtVerify(token, await keySet, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: authSettings().issuer,
      audience: [SELLER_AUDIENCE, CUSTOMER_AUDIENCE, APP_AUDIENCE],
      requiredClaims: ['exp', 'sub', 'iss', 'aud'],
    });
    const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const sub = payload.sub ?? '';
    const expiresAt = payload.exp ?? 0;
    if (audience.includes(SELLER_AUDIENCE)) return { kind: 'seller', sellerId: sub, expiresAt };
    if (typeof payload.store !== 'string') throw new InvalidTokenError('the access token names no store');
    if (audience.includes(APP_AUDIENCE)) {
      const granted = Array.isArray(payload.permissions) ? payload.permissions : [];
      const permissions = granted.filter(
        (permission): permission is Permission =>
          typeof permission === 'string' && isPermission(permission) && APP_GRANTABLE_PERMISSIONS.has(permission),
      );
      const name = typeof payload.name === 'string' ? payload.name : '';
      return { kind: 'app', appId: sub, storeId: payload.store, name, permissions, expiresAt };
    }
    return { kind: 'customer', customerId: sub, storeId: payload.store, expiresAt };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('the access token has expired');
    if (error instanceof errors.JOSEError) throw new InvalidTokenError('the access token is not valid');
    throw error;
  }
}
