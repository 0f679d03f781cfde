import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';
import { dataDirectory, SettingError } from '@commerce/database';

/** The signature algorithm of every access token; verification accepts nothing else. */
export const TOKEN_ALGORITHM = 'EdDSA';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  /** Public keys by kid: the current one plus any configured earlier ones, for rotation. */
  publicJwks: JWK[];
}

let loaded: Promise<SigningKeys> | undefined;

/**
 * The signing key: AUTH_SIGNING_KEY (a private Ed25519 JWK with a kid) when configured, else the
 * key in the data folder, generated on first start. AUTH_PREVIOUS_PUBLIC_KEYS (a JSON array of
 * public JWKs) keeps tokens signed by retired keys verifiable.
 */
export function signingKeys(): Promise<SigningKeys> {
  loaded ??= loadSigningKeys();
  return loaded;
}

async function loadSigningKeys(): Promise<SigningKeys> {
  const privateJwk = process.env.AUTH_SIGNING_KEY ? parseJwk(process.env.AUTH_SIGNING_KEY) : await keyFromDataFolder();
  if (!privateJwk.kid) throw new SettingError('AUTH_SIGNING_KEY needs a "kid"');
  const privateKey = (await importJWK(privateJwk, TOKEN_ALGORITHM)) as CryptoKey;
  const { d: _private, ...publicJwk } = privateJwk;
  const previous = process.env.AUTH_PREVIOUS_PUBLIC_KEYS
    ? previousPublicKeys(process.env.AUTH_PREVIOUS_PUBLIC_KEYS)
    : [];
  return {
    kid: privateJwk.kid,
    privateKey,
    publicJwks: [{ ...publicJwk, alg: TOKEN_ALGORITHM, use: 'sig' }, ...previous],
  };
}

function parseJwk(text: string): JWK {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    throw new SettingError('AUTH_SIGNING_KEY must be a JSON Web Key (JSON)');
  }
}

function previousPublicKeys(text: string): JWK[] {
  let keys: unknown;
  try {
    keys = JSON.parse(text);
  } catch {
    keys = null;
  }
  if (!Array.isArray(keys))
    throw new SettingError('AUTH_PREVIOUS_PUBLIC_KEYS must be a JSON array of public JSON Web Keys');
  return keys as JWK[];
}

async function keyFromDataFolder(): Promise<JWK> {
  const file = path.join(dataDirectory(), 'keys', 'signing-key.json');
  try {
    return parseJwk(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID() };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx' so that two processes starting at once keep the first key written.
  try {
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseJwk(await readFile(file, 'utf8'));
  }
}

/** The public JSON Web Key Set the gateway serves at /.well-known/jwks.json. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: (await signingKeys()).publicJwks };
}
