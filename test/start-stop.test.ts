// `pnpm start` stopped with Ctrl-C during a request: the terminal signals the whole process group
// (SIGINT), as it does for the command and everything it started. The request in flight still gets
// its full answer, new connections are refused, and the embedded PostgreSQL stops after the graph.
// The request is made slow for real: it waits for a row lock the test holds.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionRefused, eventually, freePort, GraphClient } from '@commerce/testkit';
import { DEMO } from '../prisma/seed.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A first start initialises PostgreSQL, migrates and seeds: minutes on a busy machine. */
const START_TIMEOUT_MS = 240_000;

/** What a failing test leaves running. */
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('pnpm start stopped with Ctrl-C', () => {
  it('answers the request in flight in full, refuses new connections, then stops PostgreSQL and exits 0', {
    timeout: START_TIMEOUT_MS + 60_000,
  }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'start-stop-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, postgresPort] = [await freePort(), await freePort()];
    // A group of its own, as a terminal gives the command it runs.
    const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_POSTGRES_PORT: String(postgresPort),
        SHUTDOWN_GRACE_SECONDS: '20',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const group = start.pid ?? 0;
    cleanups.push(async () => process.kill(-group, 'SIGKILL'));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await eventually(
      'pnpm start serving',
      async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
      START_TIMEOUT_MS,
    );

    const client = new GraphClient(`${base}/graphql`);
    const { sellerLogIn } = await client.data<{ sellerLogIn: { accessToken: string } }>(
      `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken } }`,
      {
        input: { email: DEMO.sellerEmail, password: DEMO.sellerPassword },
      },
    );
    const database = `postgres://postgres:postgres@127.0.0.1:${postgresPort}/postgres`;
    const locker = new pg.Client({ connectionString: database });
    // PostgreSQL ends this session as it stops, at the end of the test.
    locker.on('error', () => undefined);
    await locker.connect();
    cleanups.push(() => locker.end());
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM "Store" WHERE slug = $1 FOR UPDATE`, [DEMO.storeSlug]);
    const slow = client.execute(
      `mutation { storeUpdate(input: { name: "Renamed during Ctrl-C" }) { store { name } userErrors { code } } }`,
      {},
      { token: sellerLogIn.accessToken, store: DEMO.storeSlug },
    );
    const waiting = async (): Promise<boolean> =>
      ((
        await locker.query<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock'`,
        )
      ).rows[0]?.count ?? 0) > 0;
    await eventually('storeUpdate waiting for the lock', waiting);

    process.kill(-group, 'SIGINT');

    await eventually('new connections refused', () => connectionRefused(port));
    await locker.query('COMMIT');
    expect(await slow).toMatchObject({
      status: 200,
      data: { storeUpdate: { store: { name: 'Renamed during Ctrl-C' }, userErrors: [] } },
    });
    expect((await slow).errors).toBeUndefined();
    expect(await exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
