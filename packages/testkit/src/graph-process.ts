// The graph in a process of its own: benchmarks measure it without the load generator's CPU, and
// tests kill it in the middle of its work, as a crash or an OOM kill would.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface GraphProcess {
  /** The gateway's /graphql. */
  url: string;
  /** Answers { statements }: the SQL statements the process has sent so far. */
  statsUrl: string;
  pid: number;
  /** The SQL statements the process has sent so far. */
  statements(): Promise<number>;
  /** Closes the graph (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
  /** Ends the process at once (SIGKILL): no request finishes, no connection is closed politely. */
  kill(): Promise<void>;
}

/**
 * Starts the gateway and the five subgraphs in a child process on `databaseUrl` (the database
 * owner's URL; the graph connects as the app role). `env` adds to this process's environment.
 */
export async function forkGraph(databaseUrl: string, env: Record<string, string> = {}): Promise<GraphProcess> {
  const child = fork(fileURLToPath(new URL('./graph-process-main.ts', import.meta.url)), [], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl },
    execArgv: ['--import', 'tsx'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const { url, statsUrl } = await new Promise<{ url: string; statsUrl: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; statsUrl: string }));
    child.once('exit', (code, signal) => reject(new Error(`the graph process exited with ${code ?? signal} before serving`)));
  });
  const end = (signal: NodeJS.Signals) => async () => {
    if (isRunning(child)) child.kill(signal);
    await exited;
  };
  return {
    url,
    statsUrl,
    pid: child.pid as number,
    async statements() {
      return ((await (await fetch(statsUrl)).json()) as { statements: number }).statements;
    },
    stop: end('SIGTERM'),
    kill: end('SIGKILL'),
  };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
