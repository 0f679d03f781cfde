// Apollo Server hashes every operation's text (and the gateway every operation it plans) with
// @apollo/utils.createhash, which went through require('crypto') on each call: under tsx, whose
// resolver runs on every require, a twentieth of a cached listing's CPU. The patch in patches/
// looks crypto up once; these check it is applied, in both versions the graph installs.
import { createHash as nodeHash } from 'node:crypto';
import Module, { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fromServer = createRequire(createRequire(import.meta.url).resolve('@apollo/server'));
const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));

type CreateHash = (kind: string) => { update(text: string): { digest(encoding: 'hex'): string } };

function loaded(from: NodeJS.Require): { version: string; createHash: CreateHash } {
  return {
    version: (from('@apollo/utils.createhash/package.json') as { version: string }).version,
    createHash: (from('@apollo/utils.createhash') as { createHash: CreateHash }).createHash,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Apollo's hash helper", () => {
  it.each([
    ['Apollo Server', fromServer, '3.0.1'],
    ['the gateway', fromGateway, '2.0.2'],
  ])('hashes as Node does for %s, without a require per hash', (_, from, version) => {
    const helper = loaded(from);
    expect(helper.version).toBe(version);
    const required = vi.spyOn(Module.prototype, 'require');
    const text = '{ store { products(first: 24) { nodes { id title } } } }';
    const digests = Array.from({ length: 50 }, (__, index) =>
      helper.createHash('sha256').update(`${text}${index}`).digest('hex'),
    );
    expect(required).not.toHaveBeenCalled();
    expect(digests).toEqual(
      Array.from({ length: 50 }, (__, index) => nodeHash('sha256').update(`${text}${index}`).digest('hex')),
    );
  });
});
