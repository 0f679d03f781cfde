// A process that runs the embedded PostgreSQL (as `pnpm start` does) and is killed leaves the
// server running; the next start stops it and starts again on the same data, committed rows kept.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
let dataRoot: string | undefined;
/** The first process and its server, ended here too should the test fail half-way. */
let child: ChildProcess | undefined;
let serverPid = 0;
afterAll(async () => {
  child?.kill('SIGKILL');
  if (serverPid && isAlive(serverPid)) process.kill(serverPid, 'SIGINT');
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Whether a process runs (a zombie, exited but not yet reaped by its parent, does not). */
function isAlive(pid: number): boolean {
  try {
    if (existsSync('/proc')) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    }
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the embedded PostgreSQL of a killed process', () => {
  it('is stopped by the next start, which serves the same data; a running process’s server is left alone', {
    timeout: 120_000,
  }, async () => {
    dataRoot = await mkdtemp(path.join(os.tmpdir(), 'embedded-restart-'));
    const dataDir = path.join(dataRoot, 'postgres');
    const source = `
      const { startEmbeddedPostgres } = await import('./src/embedded.ts');
      const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
      console.log('ready ' + server.url);
      setInterval(() => {}, 1000);`;
    const started = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
      cwd: PACKAGE,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = started;
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      started.stdout.on('data', (chunk) => {
        output += String(chunk);
        const ready = /ready (\S+)/.exec(output);
        if (ready) resolve(ready[1] as string);
      });
      started.once('exit', (code) => reject(new Error(`the process exited with ${code} before its server was ready`)));
    });
    await query(url, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('committed before the kill')`);
    serverPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

    // While the process that started it runs, the server is its: another start leaves it alone and fails.
    await expect(startEmbeddedPostgres({ dataDir, port: Number(new URL(url).port) + 1 })).rejects.toThrow(
      /postmaster.pid/,
    );
    expect(isAlive(serverPid)).toBe(true);

    started.kill('SIGKILL');
    await new Promise((resolve) => started.once('exit', resolve));
    expect(isAlive(serverPid)).toBe(true);

    const server = await startEmbeddedPostgres({ dataDir, port: Number(new URL(url).port) });
    try {
      expect(isAlive(serverPid)).toBe(false);
      expect(await query(server.url, 'SELECT note FROM kept')).toEqual([{ note: 'committed before the kill' }]);
    } finally {
      await server.stop();
    }
  });
});

describe('the embedded PostgreSQL of a process that handles its signals itself', () => {
  it('keeps running until that process has closed what uses it, then stops with it', { timeout: 120_000 }, async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'embedded-signals-'));
    try {
      const dataDir = path.join(root, 'postgres');
      const source = `
        const { startEmbeddedPostgres } = await import('./src/embedded.ts');
        const pg = (await import('pg')).default;
        const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, callerHandlesSigterm: true });
        process.once('SIGTERM', async () => {
          // What a graph closing down does: a last statement on the server, then the server stops.
          const client = new pg.Client({ connectionString: server.url });
          await client.connect();
          const { rows } = await client.query("SELECT 'still up' AS state");
          await client.end();
          console.log('closing: ' + rows[0].state);
          await server.stop();
          process.exit(0);
        });
        console.log('ready');
        setInterval(() => {}, 1000);`;
      const started = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
        cwd: PACKAGE,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      started.stdout.on('data', (chunk) => (output += String(chunk)));
      const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
      for (let waited = 0; !output.includes('ready'); waited += 100) {
        if (waited > 60_000) throw new Error(`no server: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const serverPid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);

      started.kill('SIGTERM');

      expect(await exited).toBe(0);
      expect(output).toContain('closing: still up');
      expect(isAlive(serverPid)).toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
