import { afterEach, describe, expect, it, vi } from 'vitest';
import { databasePoolSize, numberSetting, portSetting } from '../src/settings.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('numeric settings from the environment', () => {
  it('are the default when unset or blank, and the number when given', () => {
    expect(numberSetting('SOME_SECONDS', undefined, 60)).toBe(60);
    expect(numberSetting('SOME_SECONDS', '  ', 60)).toBe(60);
    expect(numberSetting('SOME_SECONDS', ' 15 ', 60)).toBe(15);
    expect(numberSetting('SOME_RATE', '0.5', 1)).toBe(0.5);
  });

  it('stop the process at start with the variable named when malformed, too small or not whole', () => {
    expect(() => numberSetting('SOME_SECONDS', 'ten', 60)).toThrow(
      'SOME_SECONDS must be a number of 0 or more, not "ten" (see .env.example)',
    );
    expect(() => numberSetting('SOME_SECONDS', '-1', 60)).toThrow(
      'SOME_SECONDS must be a number of 0 or more, not "-1"',
    );
    expect(() => numberSetting('SOME_COUNT', '2.5', 3, { min: 1, whole: true })).toThrow(
      'SOME_COUNT must be a whole number of 1 or more, not "2.5"',
    );
  });

  it('DATABASE_POOL_SIZE and PORT are read this way', () => {
    vi.stubEnv('DATABASE_POOL_SIZE', '');
    expect(databasePoolSize()).toBe(10);
    vi.stubEnv('DATABASE_POOL_SIZE', '24');
    expect(databasePoolSize()).toBe(24);
    vi.stubEnv('DATABASE_POOL_SIZE', '0');
    expect(() => databasePoolSize()).toThrow('DATABASE_POOL_SIZE must be a whole number of 1 or more, not "0"');
    vi.stubEnv('PORT', '');
    expect(portSetting(4002)).toBe(4002);
    vi.stubEnv('PORT', '8080');
    expect(portSetting(4002)).toBe(8080);
    vi.stubEnv('PORT', 'http');
    expect(() => portSetting(4002)).toThrow('PORT must be a whole number from 0 to 65535, not "http"');
    vi.stubEnv('PORT', '70000');
    expect(() => portSetting(4002)).toThrow('PORT must be a whole number from 0 to 65535, not "70000"');
  });
});
