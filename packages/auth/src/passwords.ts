import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { authSettings } from './settings.js';

// OWASP's scrypt settings (N=2^14, r=8, p=5: the 16 MiB variant of the same cost); N is
// PASSWORD_HASH_COST. Each hash records its parameters, so hashes made at another cost still verify.
const R = 8;
const P = 5;
const MAX_MEMORY = 256 * 1024 * 1024;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** authSettings().passwordHashCost;
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

// A real hash of a random password at the current cost, so checking an unknown account costs what
// checking a real one does. Accounts move to the current cost as they log in (passwordNeedsRehash);
// until an account has, after PASSWORD_HASH_COST changed, its checks cost what its old hash costs.
let decoy: Promise<string> | undefined;

function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

/** Makes the decoy hash now, so that the first unknown account checked costs no more than later ones; the subgraphs that check passwords call it as they start. */
export async function preparePasswordChecks(): Promise<void> {
  await decoyHash();
}

/** Whether a stored hash was made at another cost than PASSWORD_HASH_COST: hash the password again when it is known (at log-in). */
export function passwordNeedsRehash(stored: string): boolean {
  const [, n] = stored.split('$');
  return Number(n) !== 2 ** authSettings().passwordHashCost;
}

/**
 * Checks a password in constant time. Pass `null` for an account that does not exist: the same
 * work is done and the answer is false, so timing does not tell whether the account exists.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const encoded = stored ?? (await decoyHash());
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return stored !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
}

const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  'passw0rd',
  '1234567890',
  '12345678910',
  '0123456789',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'abc1234567',
  'administrator',
  'changeme12',
  'football12',
  'baseball12',
  'sunshine12',
  'princess12',
  'trustno1234',
  'monkey12345',
  'dragon12345',
  'asdfghjkl1',
  '1q2w3e4r5t',
  'zaq12wsxcde',
  '1qaz2wsx3edc',
  'aaaaaaaaaa',
  '1111111111',
  'starwars12',
  'whatever12',
  'superman12',
  'mustang123',
]);

/** Why a new password is not acceptable (at least 10 characters, not a common one), or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Use at least 10 characters.';
  if (password.length > 200) return 'Use at most 200 characters.';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'This password is too common; choose another.';
  return null;
}
