// Apollo's gateway library reports the machine to Apollo hourly unless told not to. The graph
// sends it nothing unless asked, and does not even load what the report needs; asked
// (APOLLO_TELEMETRY_DISABLED=false), the report is made as Apollo ships it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/apollo-telemetry.ts', import.meta.url));

function makeGateway(setting: string | undefined): { setting?: string; reportModules: number } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.APOLLO_TELEMETRY_DISABLED;
  if (setting !== undefined) env.APOLLO_TELEMETRY_DISABLED = setting;
  const run = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE], { env, encoding: 'utf8', timeout: 30_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { setting?: string; reportModules: number };
}

describe("Apollo's machine report", () => {
  it('is off when unset, its modules never loaded', () => {
    expect(makeGateway(undefined)).toEqual({ setting: 'true', reportModules: 0 });
  }, 40_000);

  it('is made when APOLLO_TELEMETRY_DISABLED=false asks for it', () => {
    const asked = makeGateway('false');
    expect(asked.setting).toBe('false');
    expect(asked.reportModules).toBeGreaterThan(0);
  }, 40_000);
});
