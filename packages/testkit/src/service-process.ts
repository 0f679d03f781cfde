// One service (the gateway or a subgraph) run from its own entry file as its own process, as a
// deployment runs it: for tests of what crosses processes (request ids, traces).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.js';

export interface ServiceProcess {
  /** Its /graphql URL. */
  url: string;
  /** Its process id. */
  pid: number;
  /** Everything it has written so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not ended in 10 s. */
  stop(): Promise<void>;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** What every process entry is started with (see package.json "start" and docker-compose.yml). */
export const PROCESS_EXEC_ARGV = ['--import', 'tsx', '--import', './packages/observability/src/tracing-register.ts'];
/** What a deployment starts the compiled entries (`pnpm build`, `<package>/dist/index.js`) with: see Dockerfile. */
export const COMPILED_PROCESS_EXEC_ARGV = [
  '--conditions=compiled',
  '--import',
  './packages/observability/dist/tracing-register.js',
];

/**
 * Starts `entry` (relative to the repository, e.g. subgraphs/catalog/src/index.ts) with `env` over
 * this process's environment and PORT=`port`, and resolves once its /healthz answers. `execArgv`
 * are node's options (COMPILED_PROCESS_EXEC_ARGV for a `dist/` entry).
 */
export async function startServiceProcess(
  entry: string,
  port: number,
  env: Record<string, string>,
  execArgv: readonly string[] = PROCESS_EXEC_ARGV,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...execArgv, entry], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (isRunning(child)) child.kill('SIGTERM');
    const timer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await eventually(
      `${entry} serves on port ${port}`,
      async () => {
        if (!isRunning(child)) throw new Error(`${entry} exited: ${output}`);
        const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        return response?.ok === true;
      },
      60_000,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.pid ?? 0, output: () => output, stop };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** A port free on 127.0.0.1 now (for a process that must be told its port before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a new TCP connection to the port on 127.0.0.1 is refused (a server that has stopped listening). */
export function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
