// The graph in a process of its own: benchmarks measure it without the load generator's CPU, and
// tests kill it in the middle of its work, as a crash or an OOM kill would.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GraphProcess {
  /** The gateway's /graphql. */
  url: string;
  /** Answers { statements, cpuMicroseconds }: the SQL statements the process has sent and the CPU time it has used so far. */
  statsUrl: string;
  pid: number;
  /** Settles when the process has ended, with its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** The SQL statements the process has sent so far. */
  statements(): Promise<number>;
  /** The CPU time (user and system) the process has used so far, in microseconds. */
  cpuMicroseconds(): Promise<number>;
  /**
   * Starts V8's sampling profiler in the process (a single-process graph only), so that a profile
   * holds the requests that follow and not the start-up.
   */
  startProfile(): Promise<void>;
  /** Stops the profiler and answers its profile (a .cpuprofile's JSON). */
  stopProfile(): Promise<unknown>;
  /** Closes the graph (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
  /** Ends the process at once (SIGKILL): no request finishes, no connection is closed politely. */
  kill(): Promise<void>;
}

/** Buckets that load generators and busy tests do not fill, unless `env` sets others (cost is still computed and taken). */
export const ROOMY_RATE_LIMIT_SETTINGS = Object.fromEntries(
  ['ANONYMOUS', 'CUSTOMER', 'STAFF'].flatMap((kind) => [
    [`RATE_LIMIT_${kind}_BUCKET`, '1000000000'],
    [`RATE_LIMIT_${kind}_RESTORE_RATE`, '1000000000'],
  ]),
);

/** How long a graph process may take to serve, and to close on SIGTERM before it is killed. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts the gateway and the five subgraphs in a child process on `databaseUrl` (the database
 * owner's URL; the graph connects as the app role). `env` adds to this process's environment;
 * `output`, when given, receives what the process writes (its log) instead of the terminal;
 * `nodeArguments` go to Node (e.g. --cpu-prof, which NODE_OPTIONS may not carry).
 */
export async function forkGraph(
  databaseUrl: string,
  env: Record<string, string> = {},
  output?: (text: string) => void,
  nodeArguments: string[] = [],
): Promise<GraphProcess> {
  const child = fork(fileURLToPath(new URL('./graph-process-main.ts', import.meta.url)), [], {
    env: { ...process.env, ...ROOMY_RATE_LIMIT_SETTINGS, ...env, DATABASE_URL: databaseUrl },
    execArgv: [...nodeArguments, '--import', 'tsx'],
    silent: output !== undefined,
  });
  child.stdout?.setEncoding('utf8').on('data', (text: string) => output?.(text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => output?.(text));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let started: { url: string; statsUrl: string };
  try {
    started = await new Promise<{ url: string; statsUrl: string }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the graph process did not serve within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as { url: string; statsUrl: string });
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the graph process exited with ${code ?? signal} before serving`));
      });
    });
  } catch (error) {
    if (isRunning(child)) child.kill('SIGKILL');
    throw error;
  }
  const { url, statsUrl } = started;
  const kill = async () => {
    if (isRunning(child)) child.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    statsUrl,
    pid: child.pid as number,
    exited,
    async statements() {
      return ((await (await fetch(statsUrl)).json()) as { statements: number }).statements;
    },
    async cpuMicroseconds() {
      return ((await (await fetch(statsUrl)).json()) as { cpuMicroseconds: number }).cpuMicroseconds;
    },
    async startProfile() {
      const response = await fetch(new URL('profile/start', statsUrl), { method: 'POST' });
      if (!response.ok) throw new Error(`the graph process did not start its profiler: ${await response.text()}`);
    },
    async stopProfile() {
      const response = await fetch(new URL('profile/stop', statsUrl), { method: 'POST' });
      if (!response.ok) throw new Error(`the graph process did not stop its profiler: ${await response.text()}`);
      return response.json();
    },
    async stop() {
      if (isRunning(child)) child.kill('SIGTERM');
      const timer = setTimeout(() => void kill(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    kill,
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
