// Every process validates its settings and checks its port before it starts anything: a mistake is
// one line naming the variable to change, at once, with exit code 1. The real entry points run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Loading every module of the graph takes a while on a busy machine; starting anything else must not happen. */
const RUN_TIMEOUT_MS = 90_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point of the repository with `env` over a clean environment, until it exits. */
function run(entry: string, env: Record<string, string>): Promise<Exit> {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not exit within ${RUN_TIMEOUT_MS / 1000} s: ${stdout}${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The lines a process printed on stderr. */
function lines(text: string): string[] {
  return text.trim().split('\n').filter(Boolean);
}

let dataDir: string;
let busy: net.Server;
let busyPort: number;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'start-up-'));
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy?.close(resolve));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a malformed setting', () => {
  it('stops `pnpm start` with one line naming it, before PostgreSQL starts', { timeout: RUN_TIMEOUT_MS }, async () => {
    const exit = await run('scripts/start.ts', { PORT: '-1', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual(['PORT must be a whole number from 0 to 65535, not "-1" (see .env.example)']);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('read by a subgraph module as it loads, stops `pnpm start` the same way', {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const exit = await run('scripts/start.ts', { CHECKOUT_TIMEOUT_SECONDS: 'soon', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      'CHECKOUT_TIMEOUT_SECONDS must be a number from 1 to 3600, not "soon" (see .env.example)',
    ]);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it("of the gateway's browser edge stops `pnpm start` before PostgreSQL starts", {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const exit = await run('scripts/start.ts', { GRAPHQL_EXPLORER: 'maybe', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual(['GRAPHQL_EXPLORER must be true or false, not "maybe" (see .env.example)']);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('of the query limits stops `pnpm start` before PostgreSQL starts', { timeout: RUN_TIMEOUT_MS }, async () => {
    const exit = await run('scripts/start.ts', { GRAPHQL_MAX_DEPTH: 'deep', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      'GRAPHQL_MAX_DEPTH must be a whole number of 1 or more, not "deep" (see .env.example)',
    ]);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('of query cost and rate limits stops `pnpm start` before PostgreSQL starts', {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const exit = await run('scripts/start.ts', { RATE_LIMIT_ANONYMOUS_BUCKET: '500', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      'RATE_LIMIT_ANONYMOUS_BUCKET (500) must be at least GRAPHQL_MAX_COST (1000) (see .env.example)',
    ]);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('stops the gateway process with one line naming it', { timeout: RUN_TIMEOUT_MS }, async () => {
    const exit = await run('gateway/src/index.ts', {
      DATABASE_URL: inject('databaseUrl'),
      SHUTDOWN_GRACE_SECONDS: 'a while',
    });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      'SHUTDOWN_GRACE_SECONDS must be a number from 0 to 3600, not "a while" (see .env.example)',
    ]);
  });

  it('stops a subgraph process with one line naming it', { timeout: RUN_TIMEOUT_MS }, async () => {
    const exit = await run('subgraphs/catalog/src/index.ts', { DATABASE_URL: 'not a url' });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      'DATABASE_URL must be a URL such as postgres://user:password@host:5432/database.',
    ]);
  });
});

describe('a port in use', () => {
  it('stops `pnpm start` with one line naming PORT, before PostgreSQL starts', {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const exit = await run('scripts/start.ts', { PORT: String(busyPort), HOST: '0.0.0.0', DATA_DIR: dataDir });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      `PORT=${busyPort}: port ${busyPort} on 0.0.0.0 is in use by another process; stop it, or set PORT to a free port.`,
    ]);
    expect(existsSync(path.join(dataDir, 'postgres'))).toBe(false);
  });

  it('stops `pnpm start` with one line naming EMBEDDED_POSTGRES_PORT, before initdb', {
    timeout: RUN_TIMEOUT_MS,
  }, async () => {
    const exit = await run('scripts/start.ts', {
      PORT: '0',
      EMBEDDED_POSTGRES_PORT: String(busyPort),
      DATA_DIR: dataDir,
    });
    expect(exit.code).toBe(1);
    expect(lines(exit.stderr)).toEqual([
      `EMBEDDED_POSTGRES_PORT=${busyPort}: port ${busyPort} on 127.0.0.1 is in use by another process; stop it, or set EMBEDDED_POSTGRES_PORT to a free port.`,
    ]);
    expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(false);
  });

  it('stops the gateway and a subgraph process with one line naming PORT', {
    timeout: RUN_TIMEOUT_MS * 2,
  }, async () => {
    const expected = [
      `PORT=${busyPort}: port ${busyPort} on 0.0.0.0 is in use by another process; stop it, or set PORT to a free port.`,
    ];
    const [gateway, subgraph] = await Promise.all([
      run('gateway/src/index.ts', { DATABASE_URL: inject('databaseUrl'), PORT: String(busyPort), DATA_DIR: dataDir }),
      run('subgraphs/order/src/index.ts', {
        DATABASE_URL: inject('databaseUrl'),
        PORT: String(busyPort),
        DATA_DIR: dataDir,
      }),
    ]);
    expect([gateway.code, lines(gateway.stderr)]).toEqual([1, expected]);
    expect([subgraph.code, lines(subgraph.stderr)]).toEqual([1, expected]);
  });
});
