// A real HTTP receiver for webhook tests, in the test's process, and the helpers that create webhooks.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { GraphClient } from './client.js';
import type { TestStore } from './seed.js';

/** One request the receiver got. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** How the receiver answers a request: a status (and body), or no answer at all ('hang'). */
export type ReceiverAnswer = { status: number; body?: string } | 'hang';

/** A webhook receiver on 127.0.0.1. */
export interface WebhookReceiver {
  /** Its URL, e.g. http://127.0.0.1:41234/hooks. */
  url: string;
  received: ReceivedWebhook[];
  /** Bodies parsed, in arrival order. */
  payloads(): Array<Record<string, any>>;
  /** Sets how the next requests are answered, in turn; afterwards `fallback` (200 unless set). */
  answerWith(...answers: ReceiverAnswer[]): void;
  fallback: ReceiverAnswer;
  close(): Promise<void>;
}

/** Starts a receiver that records every request and answers as told (200 "ok" by default). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: ReceiverAnswer[] = [];
  const hanging = new Set<ServerResponse>();
  const receiver = {
    url: '',
    received,
    fallback: { status: 200, body: 'ok' } as ReceiverAnswer,
    payloads: () => received.map((request) => JSON.parse(request.body) as Record<string, any>),
    answerWith: (...answers: ReceiverAnswer[]) => {
      queue.push(...answers);
    },
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = queue.shift() ?? receiver.fallback;
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? `status ${answer.status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  receiver.close = async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

export const WEBHOOK_CREATE = `mutation ($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { webhook { id url topics isActive } secret userErrors { field message code } }
}`;

/** An order's payload with fields of the order, catalog and store subgraphs. */
export const ORDER_PAYLOAD = `subscription {
  webhookEvent {
    topic sequence occurredAt
    store { name }
    ... on OrderWebhookEvent { order { id number lines { title quantity variant { sku product { title } } } } }
  }
}`;

/** Creates a webhook as the store's owner; fails on userErrors. */
export async function createWebhook(
  client: GraphClient,
  store: TestStore,
  input: { url: string; topics: string[]; query?: string; isActive?: boolean },
  token = store.owner.accessToken,
): Promise<{ id: string; secret: string }> {
  const data = await client.data(
    WEBHOOK_CREATE,
    { input: { query: ORDER_PAYLOAD, ...input } },
    { store: store.slug, token },
  );
  if (data.webhookCreate.userErrors.length) throw new Error(JSON.stringify(data.webhookCreate.userErrors));
  return { id: data.webhookCreate.webhook.id, secret: data.webhookCreate.secret };
}

/** Webhook settings for tests: loopback receivers allowed, quick retries. */
export function testWebhookSettings(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
    WEBHOOK_RETRY_WINDOW_SECONDS: '60',
    WEBHOOK_POLL_INTERVAL_MS: '100',
    ...overrides,
  };
}
