import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One copy of graphql-js: Apollo's packages require() its CommonJS build, and a second (ESM)
    // copy in the same process fails graphql's "another module or realm" checks.
    alias: { graphql: realpathSync(require.resolve('graphql')) },
  },
  test: {
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    environment: 'node',
    // One info line per request would bury the test report; warnings and errors still show.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    // One database per run (created here), shared by every test file; tests isolate themselves by store.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
