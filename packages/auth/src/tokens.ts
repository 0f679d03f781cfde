import { SignJWT, createLocalJWKSet, jwtVerify, errors } from 'jose';
import { TOKEN_ALGORITHM, signingKeys } from './keys.js';
import { authSettings } from './settings.js';

/** Who signed-in callers are. Customers belong to exactly one store. */
export type Principal =
  | { kind: 'seller'; sellerId: string; expiresAt: number }
  | { kind: 'customer'; customerId: string; storeId: string; expiresAt: number };

export const SELLER_AUDIENCE = 'commerce:seller';
export const CUSTOMER_AUDIENCE = 'commerce:customer';

export type TokenSubject =
  | { kind: 'seller'; sellerId: string }
  | { kind: 'customer'; customerId: string; storeId: string };

/** Signs a short-lived access token for a seller or a customer (lifetime: ACCESS_TOKEN_TTL_SECONDS unless given). */
export async function issueAccessToken(
  subject: TokenSubject,
  lifetimeSeconds = authSettings().accessTokenTtlSeconds,
): Promise<string> {
  const { privateKey, kid } = await signingKeys();
  const jwt =
    subject.kind === 'seller'
      ? new SignJWT({}).setSubject(subject.sellerId).setAudience(SELLER_AUDIENCE)
      : new SignJWT({ store: subject.storeId }).setSubject(subject.customerId).setAudience(CUSTOMER_AUDIENCE);
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
      audience: [SELLER_AUDIENCE, CUSTOMER_AUDIENCE],
      requiredClaims: ['exp', 'sub', 'iss', 'aud'],
    });
    const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    const sub = payload.sub ?? '';
    const expiresAt = payload.exp ?? 0;
    if (audience.includes(SELLER_AUDIENCE)) return { kind: 'seller', sellerId: sub, expiresAt };
    if (typeof payload.store !== 'string') throw new InvalidTokenError('customer token without a store');
    return { kind: 'customer', customerId: sub, storeId: payload.store, expiresAt };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('the access token has expired');
    if (error instanceof errors.JOSEError) throw new InvalidTokenError('the access token is not valid');
    throw error;
  }
}
