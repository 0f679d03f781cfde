// Real graphql-ws clients for the subscription tests, and the writes that produce events: stock
// changes through inventoryAdjust (orders: the testkit's insertOrder).
import type { PrismaClient } from '@commerce/database';
import { createProduct } from './catalog.js';
import type { GraphClient } from './client.js';
import { eventually } from './eventually.js';
import { keyOf, type TestStore } from './seed.js';
import type { RunningGraph } from '@commerce/gateway/all-in-one';
import { createClient, type Client } from 'graphql-ws';
import type { FormattedExecutionResult } from 'graphql';
import WebSocket from 'ws';

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface Socket {
  client: Client;
  /** Settles when the socket closes, with the server's close code. */
  closed: Promise<CloseInfo>;
  dispose(): Promise<void>;
}

/** A graphql-ws client socket (Node's `ws`), connecting at once with `{ authorization, store }`. */
export function openSocket(
  graphUrl: string,
  params: { token?: string; store?: string; authorization?: string; clientName?: string } = {},
): Socket {
  let settle: (info: CloseInfo) => void = () => undefined;
  const closed = new Promise<CloseInfo>((resolve) => {
    settle = resolve;
  });
  const client = createClient({
    url: graphUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: {
      authorization: params.authorization ?? (params.token ? `Bearer ${params.token}` : undefined),
      store: params.store,
      'apollographql-client-name': params.clientName,
    },
    on: {
      closed: (event) => {
        const { code, reason } = event as { code?: number; reason?: string };
        settle({ code: code ?? 0, reason: reason ?? '' });
      },
    },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    async dispose() {
      await client.dispose();
    },
  };
}

/** Everything one subscription received. */
export class Recording<Data = Record<string, unknown>> {
  readonly results: FormattedExecutionResult<Data, unknown>[] = [];
  error: unknown = null;
  completed = false;
  private readonly stop: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.stop = client.subscribe<Data>(
      { query, variables },
      {
        next: (result) => this.results.push(result),
        error: (error) => {
          this.error = error;
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  get data(): Data[] {
    return this.results.flatMap((result) => (result.data ? [result.data] : []));
  }

  /** The error codes the subscription ended with (errors in a result or an error message). */
  get errorCodes(): string[] {
    const errors = [
      ...this.results.flatMap((result) => result.errors ?? []),
      ...(Array.isArray(this.error) ? (this.error as Array<{ extensions?: { code?: unknown } }>) : []),
    ];
    return errors.map((error) => String(error.extensions?.code));
  }

  /** Waits for `count` results; fails if the subscription ends or the wait runs out first. */
  async waitFor(count: number): Promise<Data[]> {
    await eventually(
      `${count} subscription results (got ${this.results.length})`,
      () => this.results.length >= count || this.completed || this.error !== null,
    );
    if (this.results.length < count)
      throw new Error(
        `the subscription ended after ${this.results.length} results: ${JSON.stringify(this.error ?? this.results)}`,
      );
    return this.data;
  }

  /** Waits until the server ended the subscription (complete or error). */
  async ended(): Promise<void> {
    await eventually('the subscription to end', () => this.completed || this.error !== null);
  }

  dispose(): void {
    this.stop();
  }
}

/** Subscribes and waits until the gateway holds the subscription, so that events from now on reach it. */
export async function subscribeLive<Data = Record<string, unknown>>(
  graph: RunningGraph,
  socket: Socket,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Recording<Data>> {
  const before = graph.realtime.subscriptions.hub.started;
  const recording = new Recording<Data>(socket.client, query, variables);
  await eventually(
    'the gateway to hold the subscription',
    () => graph.realtime.subscriptions.hub.started > before || recording.completed || recording.error !== null,
  );
  return recording;
}

/** The store's last event sequence, as a client would remember it (afterSequence). */
export async function lastSequence(owner: PrismaClient, store: TestStore): Promise<string> {
  const counter = await owner.storeCounter.findUniqueOrThrow({ where: { storeId: keyOf(store.id) } });
  return counter.lastEventSequence.toString();
}

export interface StockedProduct {
  id: string;
  title: string;
  variantId: string;
  sku: string;
}

/** A product with one tracked variant holding `stock` units, created through the API by the store's owner. */
export async function createStockedProduct(
  client: GraphClient,
  store: TestStore,
  options: { status?: 'ACTIVE' | 'DRAFT'; stock?: number } = {},
): Promise<StockedProduct> {
  const sku = `SKU-${Math.random().toString(36).slice(2, 10)}`;
  const title = `Product ${sku}`;
  const product = await createProduct(client, store, {
    title,
    status: options.status ?? 'ACTIVE',
    variants: [{ sku, price: '12.50', inventoryQuantity: options.stock ?? 10 }],
  });
  const variant = product.variants[0];
  if (!variant) throw new Error(`${title} has no variant`);
  return { id: product.id, title, variantId: variant.id, sku };
}

/** Changes a variant's stock through inventoryAdjust (which announces inventory.updated), as the store's owner. */
export async function adjustStock(
  client: GraphClient,
  store: TestStore,
  variantId: string,
  delta: number,
): Promise<void> {
  const data = await client.data<{ inventoryAdjust: { userErrors: unknown[] } }>(
    `mutation ($input: InventoryAdjustInput!) { inventoryAdjust(input: $input) { userErrors { field message code } } }`,
    { input: { variantId, delta, reason: 'received' } },
    { token: store.owner.accessToken, store: store.slug },
  );
  if (data.inventoryAdjust.userErrors.length) throw new Error(JSON.stringify(data.inventoryAdjust.userErrors));
}
