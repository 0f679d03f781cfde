// A server run as worker processes (WEB_CONCURRENCY=2), from a small entry of its own: connections
// go to both workers, one that dies is replaced under its number, workers that keep dying make the
// primary give up, and a stop runs every worker's own. The primary's log lines name each worker's
// process, as an operator reads them.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, freePort } from '@commerce/testkit';

const FIXTURE = fileURLToPath(new URL('./fixtures/worker-server.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
  /** The JSON lines logged so far. */
  lines(): Array<{ msg?: string; worker?: number; workerPid?: number }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function start(args: string[] = []): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    env: { ...process.env, WEB_CONCURRENCY: '2', PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  // 'close', not 'exit': a process's last lines can reach its pipe after it has exited.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const lines = () => output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line)] : []));
  return { child, port, exited, lines };
}

/** The process of each worker, as the primary's latest "worker N serving" line names it. */
function servingPids(started: Started): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of started.lines())
    if (line.worker && line.workerPid && line.msg === `worker ${line.worker} serving`)
      pids.set(line.worker, line.workerPid);
  return pids;
}

/** The worker numbers that answer `count` requests, each on a connection of its own. */
async function answeringWorkers(port: number, count: number): Promise<Set<string>> {
  const answers = [];
  for (let request = 0; request < count; request++)
    answers.push(await (await fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } })).text());
  return new Set(answers);
}

describe('serveInWorkers with WEB_CONCURRENCY=2', () => {
  it('hands connections to both workers and replaces one that dies under its number', async () => {
    const server = await start();
    await eventually('both workers serving', () => servingPids(server).size === 2, 60_000);
    expect(await answeringWorkers(server.port, 4)).toEqual(new Set(['1', '2']));

    const killed = servingPids(server).get(2) ?? 0;
    process.kill(killed, 'SIGKILL');
    await eventually('worker 2 replaced', () => (servingPids(server).get(2) ?? killed) !== killed, 30_000);
    expect(await answeringWorkers(server.port, 4)).toEqual(new Set(['1', '2']));
    expect(server.child.exitCode).toBeNull();
  });

  it('gives up and exits 1 when a worker keeps dying', async () => {
    const server = await start(['--crash', '1']);
    expect(await server.exited).toBe(1);
    const messages = server.lines().map((line) => line.msg);
    expect(
      messages.filter((message) => message?.startsWith('worker 1 exited with code 1: starting another')),
    ).toHaveLength(3);
    expect(messages).toContain('workers exited 4 times within 60 s: giving up');
  });

  it('passes a stop on to every worker, which runs its own, then exits 0', async () => {
    const server = await start();
    await eventually('both workers serving', () => servingPids(server).size === 2, 60_000);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const messages = server.lines().map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['worker 1 stopped', 'worker 2 stopped']));
  });
});
