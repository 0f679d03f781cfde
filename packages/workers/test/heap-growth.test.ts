// NODE_HEAP_GROWING_PERCENT, which the image sets: the same work holds a smaller heap with it, and a
// value that is not a percentage stops the process with one line naming the setting. And the
// collections every process makes once it serves and waits: what its start-up left and the young
// generation it grew are given back at once, and a process busy from the start is left alone.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyHeapGrowingPercent } from '../src/heap-growth.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/heap-churn.ts', import.meta.url));
const STARTUP_FIXTURE = fileURLToPath(new URL('./fixtures/startup-garbage.ts', import.meta.url));
const YOUNG_FIXTURE = fileURLToPath(new URL('./fixtures/young-generation.ts', import.meta.url));
const COLLECTIONS_FIXTURE = fileURLToPath(new URL('./fixtures/startup-collections.ts', import.meta.url));

/** Runs a fixture in a process of its own, with node's options before it and its own arguments after, and reads the line it prints. */
function runFixture<Printed>(
  fixture: string,
  { nodeOptions = [], args = [], env }: { nodeOptions?: string[]; args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Printed {
  const run = spawnSync(process.execPath, [...nodeOptions, '--import', 'tsx', fixture, ...args], {
    env,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Printed;
}

function largestHeap(percent: string | undefined): number {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '--max-semi-space-size=4' };
  delete env.NODE_HEAP_GROWING_PERCENT;
  if (percent) env.NODE_HEAP_GROWING_PERCENT = percent;
  return runFixture<{ largestHeapMb: number }>(FIXTURE, { env }).largestHeapMb;
}

describe('NODE_HEAP_GROWING_PERCENT', () => {
  it('keeps the heap of the same work smaller than V8 left alone does', () => {
    const unset = largestHeap(undefined);
    const capped = largestHeap('20');
    expect(capped).toBeLessThan(unset * 0.8);
  }, 60_000);

  it('passes V8 the percentage, and nothing when unset', () => {
    const flags: string[] = [];
    expect(applyHeapGrowingPercent('75', (flag) => flags.push(flag))).toBe(75);
    expect(applyHeapGrowingPercent(undefined, (flag) => flags.push(flag))).toBeNull();
    expect(flags).toEqual(['--heap-growing-percent=75']);
  });

  it('refuses what is not a whole percentage from 1 to 1000, naming the setting', () => {
    for (const value of ['0', '2.5', 'lots', '5000']) {
      expect(() => applyHeapGrowingPercent(value, () => undefined)).toThrow(
        /^NODE_HEAP_GROWING_PERCENT must be a whole number from 1 to 1000, not "/,
      );
    }
  });
});

describe('collectStartupGarbage', () => {
  const startUp = (collect: boolean) =>
    runFixture<{ before: number; after: number; gcVisible: string }>(STARTUP_FIXTURE, {
      args: collect ? ['--collect'] : [],
    });

  it('gives back what the start-up left, where V8 alone keeps it, without showing `gc` to the application', () => {
    const alone = startUp(false);
    const collected = startUp(true);
    // About 24 MB of dropped objects: V8 keeps them until its memory reducer runs, 20-30 s on.
    expect(alone.after).toBeGreaterThan(alone.before - 3);
    expect(collected.after).toBeLessThan(collected.before - 15);
    expect(collected.gcVisible).toBe('undefined');
  }, 60_000);

  it('gives back the young generation the start-up grew, once the process has waited a while', () => {
    const run = (collect: boolean) =>
      runFixture<{ grown: number; after: number }>(YOUNG_FIXTURE, {
        nodeOptions: ['--max-semi-space-size=4'],
        args: collect ? ['--collect'] : [],
      });
    const alone = run(false);
    const collected = run(true);
    // Two semi-spaces of 4 MB, kept by V8 alone until its memory reducer runs; 1 MB once given back.
    expect(alone.grown).toBe(8);
    expect(alone.after).toBe(8);
    expect(collected.grown).toBe(8);
    expect(collected.after).toBeLessThanOrEqual(2);
  }, 60_000);

  it('collects twice in a process waiting for traffic, and not at all in one kept busy from the start', () => {
    const forced = (busy: boolean) =>
      runFixture<{ forced: number }>(COLLECTIONS_FIXTURE, {
        // A young generation V8 cannot grow past 2 MB: the second collection is then the last.
        nodeOptions: ['--max-semi-space-size=1'],
        args: busy ? ['--busy'] : [],
      }).forced;
    expect(forced(false)).toBe(2);
    expect(forced(true)).toBe(0);
  }, 60_000);
});
