// A stop (SIGTERM, as a process supervisor sends it) drains the graph: a request in flight gets its
// full answer, new connections are refused, subscription sockets close with 1001 (going away) so
// that clients reconnect elsewhere, and the process ends by itself with 0. The request is made slow
// for real: it waits for a row lock the test holds, and releases only after the signal. The same
// for a subgraph run as its own process, whose /readyz checks its database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionRefused,
  createIsolatedDatabase,
  createStore,
  eventually,
  GraphClient,
  keyOf,
  type TestStore,
} from '@commerce/testkit';
import { forkGraph } from '@commerce/testkit/graph-process';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
/** What a test leaves running if it fails half-way. */
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  database = await createIsolatedDatabase();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});
afterAll(async () => {
  await database?.drop();
});

/** A session of the database owner, closed after the test. */
async function ownerSession(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** A graphql-transport-ws socket, acknowledged by the server; `closed` settles with the server's close code. */
async function acknowledgedSocket(url: string, store: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  cleanups.push(async () => socket.terminate());
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { store } })));
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'connection_ack') resolve();
    });
    socket.once('error', reject);
  });
  return { socket, closed };
}

/**
 * Starts a storeUpdate that waits for the store's row lock, held by the test (COMMIT on `locker`
 * releases it), and resolves once the update is waiting inside its transaction.
 */
async function renameWhileLocked(client: GraphClient, store: TestStore) {
  const locker = await ownerSession();
  await locker.query('BEGIN');
  await locker.query('SELECT 1 FROM "Store" WHERE id = $1 FOR UPDATE', [keyOf(store.id)]);
  const slow = client.execute<{ storeUpdate: { store: { name: string } } }>(
    RENAME,
    { input: { name: 'Renamed while stopping' } },
    { token: store.owner.accessToken, store: store.id },
  );
  const observer = await ownerSession();
  const waiting = async (): Promise<number> =>
    (
      await observer.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    ).rows[0]?.count ?? 0;
  await eventually('storeUpdate waiting for the lock', async () => (await waiting()) > 0);
  return { locker, slow, observer };
}

const RENAME = `mutation ($input: StoreUpdateInput!) { storeUpdate(input: $input) { store { name } userErrors { code } } }`;

describe('a graph process stopped with SIGTERM', () => {
  it('answers the request in flight in full, refuses new connections, closes subscription sockets with 1001, and exits 0', {
    timeout: 120_000,
  }, async () => {
    const graph = await forkGraph(database.url, {
      REDIS_URL: '',
      STOREFRONT_CACHE_TTL_SECONDS: '0',
      SHUTDOWN_GRACE_SECONDS: '20',
    });
    cleanups.push(() => graph.kill());
    const client = new GraphClient(graph.url);
    const store = await createStore(client);
    const subscriber = await acknowledgedSocket(graph.url, store.slug);

    const { locker, slow, observer } = await renameWhileLocked(client, store);

    process.kill(graph.pid, 'SIGTERM');

    const port = Number(new URL(graph.url).port);
    await eventually('new connections refused', () => connectionRefused(port));
    // The request is still in flight, and the sockets stay open until it has been answered.
    expect(subscriber.socket.readyState).toBe(WebSocket.OPEN);

    await locker.query('COMMIT');
    const answer = await slow;
    expect({ status: answer.status, data: answer.data }).toEqual({
      status: 200,
      data: { storeUpdate: { store: { name: 'Renamed while stopping' }, userErrors: [] } },
    });
    expect(await subscriber.closed).toBe(1001);
    expect(await graph.exited).toBe(0);
    const { rows } = await observer.query<{ name: string }>('SELECT name FROM "Store" WHERE id = $1', [
      keyOf(store.id),
    ]);
    expect(rows).toEqual([{ name: 'Renamed while stopping' }]);
  });
});

describe('a subgraph process stopped with SIGTERM', () => {
  it('is ready while its database answers, answers the request in flight in full, refuses new connections, and exits 0', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../subgraphs/store/src/index.ts', import.meta.url))],
      {
        env: { ...process.env, DATABASE_URL: database.url, PORT: '0', SHUTDOWN_GRACE_SECONDS: '20', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(async () => child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    await eventually('the subgraph listening', () => /listening on (http:\/\/[^\s"]+)/.test(output), 60_000);
    const url = /listening on (http:\/\/[^\s"]+)/.exec(output)?.[1] ?? '';
    const ready = await fetch(new URL('/readyz', url));
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true, database: true }]);
    const client = new GraphClient(url);
    const store = await createStore(client);
    const { locker, slow, observer } = await renameWhileLocked(client, store);

    child.kill('SIGTERM');

    await eventually('new connections refused', () => connectionRefused(Number(new URL(url).port)));
    await locker.query('COMMIT');
    expect(await slow).toEqual({
      status: 200,
      data: { storeUpdate: { store: { name: 'Renamed while stopping' }, userErrors: [] } },
    });
    expect(await exited).toBe(0);
    const { rows } = await observer.query<{ name: string }>('SELECT name FROM "Store" WHERE id = $1', [
      keyOf(store.id),
    ]);
    expect(rows).toEqual([{ name: 'Renamed while stopping' }]);
  });
});
