// Nothing the application relies on comes from inside the database (DESIGN §13: triggers and
// NOTIFY do not cross nodes). Writes through the graph raise no notification in PostgreSQL, for
// the storefront cache or for the relay: each change appends its event to the outbox, and the
// relay of the process that committed it is woken in that process. On a database of its own, so
// that no other test's process notifies on it.
import type { Notification } from 'pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  eventually,
  keyOf,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
} from '@commerce/testkit';
import { asOwner, createCategory, firstVariantId, VARIANTS_UPDATE } from '@commerce/testkit/catalog-kit';
import { createCart, insertShippingZone, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';
import { adjustStock } from '@commerce/testkit/realtime-kit';
import { mutationDocument } from '@commerce/testkit/store-kit';

let graph: IsolatedTestGraph;
let listener: pg.Client;
const heard: Notification[] = [];

beforeAll(async () => {
  graph = await startIsolatedTestGraph({ storefrontCache: true });
  listener = new pg.Client({ connectionString: graph.databaseUrl });
  await listener.connect();
  listener.on('notification', (notification) => heard.push(notification));
  await listener.query('LISTEN storefront_changed');
  await listener.query('LISTEN outbox_event');
});
afterAll(async () => {
  await listener?.end();
  await graph?.close();
});

describe('writes through the graph', () => {
  it('raise no notification in the database, and every change is in the outbox, published', async () => {
    const store = await createStore(graph.client);
    await insertShippingZone(graph.owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 5 }]));
    const variantId = firstVariantId(product);
    await graph.client.data(
      VARIANTS_UPDATE,
      { input: { productId: product.id, variants: [{ id: variantId, price: '22.00' }] } },
      asOwner(store),
    );
    await adjustStock(graph.client, store, variantId, 3);
    await createCategory(graph.client, store, { name: 'Mugs' });
    await graph.client.data(mutationDocument('storeUpdate'), { input: { name: 'Quiet Shop' } }, asOwner(store));
    const cart = await createCart(graph.client, store, [{ variantId, quantity: 1 }]);
    await placeOrder(graph.client, store, cart.id);

    await eventually(
      'every event published',
      async () => (await graph.owner.outboxEvent.count({ where: { publishedAt: null } })) === 0,
    );
    const events = await graph.owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id) },
      orderBy: { sequence: 'asc' },
      select: { type: true },
    });
    expect(events.map((event) => event.type)).toEqual([
      'product.created',
      'product.published',
      'product.updated',
      'inventory.updated',
      'category.created',
      'store.updated',
      'cart.created',
      'inventory.updated',
      'order.created',
    ]);

    // Notifications arrive in the order their transactions committed: once this one is here,
    // any sent during the writes would be too.
    await graph.owner.$executeRaw`SELECT pg_notify('outbox_event', 'probe')`;
    await eventually('the probe', () => heard.some((notification) => notification.payload === 'probe'));
    expect(heard.map((notification) => [notification.channel, notification.payload])).toEqual([
      ['outbox_event', 'probe'],
    ]);
  });
});
