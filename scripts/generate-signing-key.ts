// Prints a new Ed25519 private JSON Web Key with a kid, for AUTH_SIGNING_KEY (see .env.example):
//   pnpm exec tsx scripts/generate-signing-key.ts
// Every process that signs or verifies tokens (the gateway and the five subgraphs) must be given
// the same key. To rotate, move the old key's public half (without "d") into AUTH_PREVIOUS_PUBLIC_KEYS.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The part of jose this script uses: the calls packages/auth/src/keys.ts makes for its own key. */
interface Jose {
  generateKeyPair(alg: 'EdDSA', options: { crv: 'Ed25519'; extractable: true }): Promise<{ privateKey: unknown }>;
  exportJWK(key: unknown): Promise<Record<string, unknown>>;
}

// jose is a dependency of @commerce/auth, not of the workspace root: resolve it from there, so the
// key is made by the same library that will import it.
const fromAuthPackage = createRequire(new URL('../packages/auth/package.json', import.meta.url));
const jose = (await import(pathToFileURL(fromAuthPackage.resolve('jose')).href)) as Jose;

const { privateKey } = await jose.generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
console.log(JSON.stringify({ ...(await jose.exportJWK(privateKey)), kid: randomUUID() }));
