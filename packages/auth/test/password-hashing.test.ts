// Password hashes: OWASP's scrypt cost unless PASSWORD_HASH_COST says otherwise (test runs lower
// it), the cost recorded in each hash so that hashes made at another cost still verify, and no
// lowered cost in production.
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SettingError } from '@commerce/database';
import { authSettings, authSettingsFromEnvironment, hashPassword, verifyPassword } from '../src/index.js';

function withEnvironment<T>(values: Record<string, string | undefined>, read: () => T): T {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const restore = (saved: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  restore(values);
  try {
    return read();
  } finally {
    restore(before);
  }
}

describe('password hashing', () => {
  it("uses OWASP's cost (N = 2^14) unless PASSWORD_HASH_COST is set", () => {
    expect(
      withEnvironment({ PASSWORD_HASH_COST: undefined }, () => authSettingsFromEnvironment().passwordHashCost),
    ).toBe(14);
    expect(withEnvironment({ PASSWORD_HASH_COST: '11' }, () => authSettingsFromEnvironment().passwordHashCost)).toBe(
      11,
    );
  });

  it('refuses a lowered cost with NODE_ENV=production, and costs out of range anywhere', () => {
    expect(() =>
      withEnvironment({ PASSWORD_HASH_COST: '10', NODE_ENV: 'production' }, authSettingsFromEnvironment),
    ).toThrow(SettingError);
    expect(() =>
      withEnvironment({ PASSWORD_HASH_COST: '10', NODE_ENV: 'production' }, authSettingsFromEnvironment),
    ).toThrow(/PASSWORD_HASH_COST/);
    expect(
      withEnvironment(
        { PASSWORD_HASH_COST: '15', NODE_ENV: 'production' },
        () => authSettingsFromEnvironment().passwordHashCost,
      ),
    ).toBe(15);
    expect(() => withEnvironment({ PASSWORD_HASH_COST: '8' }, authSettingsFromEnvironment)).toThrow(
      /PASSWORD_HASH_COST must be a whole number from 10 to 16/,
    );
  });

  it('records the cost in the hash, so a hash made at another cost still verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    const [scheme, n, r, p] = hash.split('$');
    expect([scheme, Number(n), Number(r), Number(p)]).toEqual(['scrypt', 2 ** authSettings().passwordHashCost, 8, 5]);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('wrong horse battery', hash)).toBe(false);

    // A hash at OWASP's cost, as a production database holds them, made here by scrypt itself.
    const salt = randomBytes(16);
    const key = scryptSync('correct horse battery', salt, 32, { N: 16_384, r: 8, p: 5, maxmem: 64 * 1024 * 1024 });
    const owasp = ['scrypt', 16_384, 8, 5, salt.toString('base64url'), key.toString('base64url')].join('$');
    expect(await verifyPassword('correct horse battery', owasp)).toBe(true);
    expect(await verifyPassword('wrong horse battery', owasp)).toBe(false);
    expect(await verifyPassword('correct horse battery', null)).toBe(false);
  });
});
