// A machine as busy as a CI runner that builds something else: processes that spin on every core,
// so that what a test runs meanwhile gets a fraction of a core, as `pnpm start` does on such a machine.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';

/** A busy machine: spinning processes, ended by stop(). */
export interface CpuLoad {
  /** How many processes spin. */
  processes: number;
  stop(): Promise<void>;
}

/** Starts `perCore` spinning processes per core (default 2, a load of about twice the cores) until stop(). */
export async function saturateCpu(perCore = 2): Promise<CpuLoad> {
  const count = os.availableParallelism() * perCore;
  const children: ChildProcess[] = [];
  for (let index = 0; index < count; index++) {
    children.push(
      spawn(process.execPath, ['-e', 'process.send?.("spinning"); for (;;) {}'], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
    );
  }
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
  };
  try {
    // Every process runs its loop before the measured work starts.
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            child.once('message', () => resolve());
            child.once('exit', (code) => reject(new Error(`a spinning process exited with ${code} before it spun`)));
          }),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes: count, stop };
}
