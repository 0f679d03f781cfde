// Webhook workers as processes: one killed in the middle of a delivery loses nothing, and two
// sharing the work send nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIsolatedDatabase,
  createStore,
  eventually,
  GraphClient,
  keyOf,
  startTestGraph,
  type TestGraph,
} from '@commerce/testkit';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { adjustStock, createStockedProduct } from '@commerce/testkit/realtime-kit';
import {
  createWebhook,
  startWebhookReceiver,
  testWebhookSettings,
  type WebhookReceiver,
} from '@commerce/testkit/webhook-kit';
import { openDatabase, type PrismaClient } from '@commerce/database';
import { storeSettingsFromEnvironment } from '../src/settings.js';
import { webhookSettingsFromEnvironment } from '../src/webhooks/settings.js';

const STOCK_PAYLOAD =
  'subscription { webhookEvent { topic sequence ... on InventoryWebhookEvent { variant { sku } } } }';

let database: { url: string; appUrl: string; drop(): Promise<void> };
let owner: PrismaClient;
let receiver: WebhookReceiver;
beforeAll(async () => {
  database = await createIsolatedDatabase();
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await owner.$disconnect();
  await database.drop();
});

/** The distinct deliveries the receiver accepted (by webhook-id), and how many requests it got in all. */
function tally(from: number) {
  const requests = receiver.received.slice(from);
  return { requests: requests.length, ids: new Set(requests.map((request) => String(request.headers['webhook-id']))) };
}

describe('webhook workers', () => {
  it('a worker killed in the middle of a delivery loses nothing: the next one sends it', async () => {
    const env = { ...testWebhookSettings(), REDIS_URL: '' };
    let graph: GraphProcess = await forkGraph(database.url, env);
    try {
      const client = new GraphClient(graph.url);
      const store = await createStore(client);
      const product = await createStockedProduct(client, store);
      await createWebhook(client, store, { url: receiver.url, topics: ['INVENTORY_UPDATED'], query: STOCK_PAYLOAD });
      const from = receiver.received.length;
      receiver.answerWith('hang');
      for (const delta of [1, 2, 3, 4, 5]) await adjustStock(client, store, product.variantId, delta);
      await eventually('the first delivery under way', () => receiver.received.length > from);
      await graph.kill();

      graph = await forkGraph(database.url, env);
      // The killed worker's lease runs out (5 s + timeout + 2 s), then the first delivery goes again.
      await eventually(
        'all five delivered',
        () => tally(from).ids.size === 5 && receiver.received.length >= from + 6,
        30_000,
      );
      const sequences = receiver
        .payloads()
        .slice(from)
        .map((payload) => Number(payload.data.sequence));
      expect(sequences[0]).toBe(sequences[1]);
      expect(sequences.slice(1)).toEqual([...sequences.slice(1)].sort((a, b) => a - b));
      // The receiver has the last request before the worker has recorded its answer.
      const statuses = async () =>
        (await owner.webhookDelivery.findMany({ where: { storeId: keyOf(store.id) } })).map(
          (delivery) => delivery.status,
        );
      await eventually('the last answer recorded', async () =>
        (await statuses()).every((status) => status !== 'PENDING'),
      );
      expect(await statuses()).toEqual(Array(5).fill('SUCCEEDED'));
    } finally {
      await graph.stop();
    }
  }, 90_000);

  it('two workers share the deliveries and send none twice', async () => {
    const webhooks = webhookSettingsFromEnvironment({ ...process.env, ...testWebhookSettings() });
    const settings = { store: { ...storeSettingsFromEnvironment(), webhooks } };
    const graphs: TestGraph[] = [];
    try {
      for (let i = 0; i < 2; i += 1)
        graphs.push(
          await startTestGraph({
            appDatabaseUrl: database.appUrl,
            realtime: { redisUrl: null },
            subgraphSettings: settings,
          }),
        );
      const [first, second] = graphs;
      if (!first || !second) throw new Error('two graphs expected');
      const store = await createStore(first.client);
      const product = await createStockedProduct(first.client, store, { stock: 1_000 });
      const topics = ['INVENTORY_UPDATED'];
      for (let i = 0; i < 4; i += 1)
        await createWebhook(first.client, store, { url: receiver.url, topics, query: STOCK_PAYLOAD });
      const from = receiver.received.length;
      // Changes through both graphs: each one's dispatcher hears of its own at once.
      for (let i = 0; i < 10; i += 1)
        await adjustStock((i % 2 === 0 ? first : second).client, store, product.variantId, 1);

      await eventually('40 deliveries', () => tally(from).ids.size === 40, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(tally(from)).toEqual({ requests: 40, ids: expect.any(Set) });
      const attempts = await owner.webhookDeliveryAttempt.count({ where: { storeId: keyOf(store.id) } });
      expect(attempts).toBe(40);
    } finally {
      for (const graph of graphs) await graph.close();
    }
  }, 90_000);
});
