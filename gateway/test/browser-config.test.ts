import { afterEach, describe, expect, it } from 'vitest';
import { browserConfigFromEnvironment, corsOriginsSetting } from '../src/browser-config.js';

const SETTINGS = [
  'CORS_ORIGINS',
  'CORS_MAX_AGE_SECONDS',
  'GRAPHQL_EXPLORER',
  'GRAPHQL_EXPLORER_STORE',
  'NODE_ENV',
] as const;
const saved = Object.fromEntries(SETTINGS.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of SETTINGS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('browser settings', () => {
  it('default to the storefront of pnpm start and an explorer outside production', () => {
    for (const name of SETTINGS) delete process.env[name];
    expect(browserConfigFromEnvironment()).toMatchObject({
      corsOrigins: ['http://localhost:3000'],
      corsMaxAgeSeconds: 600,
      explorer: true,
      explorerStore: 'demo',
    });
    process.env.NODE_ENV = 'production';
    expect(browserConfigFromEnvironment().explorer).toBe(false);
    process.env.GRAPHQL_EXPLORER = 'true';
    expect(browserConfigFromEnvironment().explorer).toBe(true);
  });

  it('read a list of origins, and *', () => {
    expect(corsOriginsSetting(' https://shop.example.com, http://localhost:3000/ ,*', [])).toEqual([
      'https://shop.example.com',
      'http://localhost:3000',
      '*',
    ]);
    expect(corsOriginsSetting('', ['x'])).toEqual([]);
  });

  it('stop the start on a value that is not an origin or a switch, naming the variable', () => {
    for (const bad of ['shop.example.com', 'https://shop.example.com/path', 'https://*.example.com']) {
      expect(() => corsOriginsSetting(bad, []), bad).toThrow(/^CORS_ORIGINS must list origins/);
    }
    process.env.GRAPHQL_EXPLORER = 'maybe';
    expect(() => browserConfigFromEnvironment()).toThrow(/^GRAPHQL_EXPLORER must be true or false/);
    delete process.env.GRAPHQL_EXPLORER;
    process.env.CORS_MAX_AGE_SECONDS = '-5';
    expect(() => browserConfigFromEnvironment()).toThrow(/^CORS_MAX_AGE_SECONDS/);
  });
});
