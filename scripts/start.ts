// `pnpm start`: the whole API on one machine, run by start-graph.ts in a process group of its own.
// Ctrl-C sends SIGINT to every process of the terminal's group: the embedded PostgreSQL, reached
// too, would stop at once and fail the requests in flight. So the graph and its PostgreSQL are
// kept out of that group; this process takes the stop signals (Ctrl-C, SIGTERM, a closed terminal)
// and passes one SIGTERM on, which drains the graph and then stops PostgreSQL. It exits as the
// graph does.
import { fork } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const graph = fork(fileURLToPath(new URL('./start-graph.ts', import.meta.url)), process.argv.slice(2), {
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (graph.exitCode === null && graph.signalCode === null) graph.kill('SIGTERM');
  });
}
graph.once('exit', (code, signal) => process.exit(code ?? (signal ? 128 + constants.signals[signal] : 1)));
