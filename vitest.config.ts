import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// The global set-up runs the shared graph in this process: its log is as quiet as the workers'.
process.env.LOG_LEVEL ??= 'warn';
// The suite signs up and logs in thousands of sellers and customers: password hashes at scrypt's
// lowest allowed cost (same code, same checks; a hash records its cost) rather than OWASP's.
process.env.PASSWORD_HASH_COST ??= '10';

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
    env: { LOG_LEVEL: process.env.LOG_LEVEL, PASSWORD_HASH_COST: process.env.PASSWORD_HASH_COST },
    // One database and one graph per run (started there), shared by the test files; tests isolate
    // themselves by store.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A worker loads Apollo, Prisma and the graph's modules once for all the files it runs, rather
    // than once per file (the largest cost of a run after the tests themselves). Files keep no
    // state in modules that another file could see: settings are passed to the graphs they start,
    // and a test that changes the environment puts it back.
    isolate: false,
    // A spy (console.warn in an error test, say) is undone after its test even when the test fails,
    // so that it cannot silence the files the worker runs next.
    restoreMocks: true,
    // Most of a test's time is spent waiting on the graph, PostgreSQL and Redis, not on this
    // process's CPU: more files than cores run at once (Vitest's default is one fewer than the cores).
    maxWorkers: 4,
  },
});
