// The young generation `pnpm start` gives its graph workers, unless the operator chose one.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { graphWorkerNodeOptions } from '../src/settings.js';

describe('graphWorkerNodeOptions', () => {
  it('gives graph workers a 64 MB semi-space, which V8 takes as the young generation’s size', () => {
    const options = graphWorkerNodeOptions('', []);
    expect(options).toEqual(['--max-semi-space-size=64']);
    const run = spawnSync(
      process.execPath,
      [
        ...options,
        '-e',
        // Enough allocation for V8 to grow the young generation to its limit.
        `const v8 = require('node:v8'); let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 5e5) keep = []; }
         console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(Number(run.stdout) / 1_048_576).toBeGreaterThan(2 * 16);
  });

  it('leaves the size to NODE_OPTIONS or the primary’s own options when they set one', () => {
    expect(graphWorkerNodeOptions('--max-semi-space-size=4', [])).toEqual([]);
    expect(graphWorkerNodeOptions('', ['--import', 'tsx', '--max-semi-space-size=8'])).toEqual([]);
    expect(graphWorkerNodeOptions('--enable-source-maps', ['--import', 'tsx'])).toEqual(['--max-semi-space-size=64']);
  });
});
