// The floor in a process of its own, pinned to one core with taskset (util-linux): the floor is a
// single Node process, and one core is what the figure means; the load generator runs beside it,
// on the other cores. Without taskset (not Linux) the process runs unpinned, and says so.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export interface FloorProcess {
  /** The floor gateway's /graphql. */
  url: string;
  /** The core the process is pinned to; null when it could not be pinned. */
  cpu: number | null;
  /** The CPU time (user and system) the process has used so far, in microseconds. */
  cpuMicroseconds(): Promise<number>;
  /** Closes the floor (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const ENTRY = fileURLToPath(new URL('./floor-process-main.ts', import.meta.url));

/** The core to pin to: BENCH_FLOOR_CPU, else the last one (the first is where the kernel tends to put everything else). */
function floorCpu(): number {
  return Number(process.env.BENCH_FLOOR_CPU ?? os.availableParallelism() - 1);
}

function hasTaskset(): boolean {
  return !spawnSync('taskset', ['--version'], { stdio: 'ignore' }).error;
}

/** Starts the floor with `products` products in a child process pinned to one core. */
export async function forkFloor(products: number): Promise<FloorProcess> {
  const node = [process.execPath, '--import', 'tsx', ENTRY, String(products)];
  const cpu = hasTaskset() ? floorCpu() : null;
  if (cpu === null) console.warn('taskset not found: the floor runs unpinned, on every core');
  const [command = process.execPath, ...args] = cpu === null ? node : ['taskset', '--cpu-list', String(cpu), ...node];
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url } = await new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the floor did not serve within a minute')), START_TIMEOUT_MS);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as { url: string });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the floor process exited with ${code ?? signal} before serving`));
    });
  }).catch((error: unknown) => {
    if (isRunning(child)) child.kill('SIGKILL');
    throw error;
  });
  return {
    url,
    cpu,
    cpuMicroseconds: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) => resolve((message as { cpuMicroseconds: number }).cpuMicroseconds));
        child.send('cpu');
      }),
    async stop() {
      if (isRunning(child)) child.kill('SIGTERM');
      await exited;
    },
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
