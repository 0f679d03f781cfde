// The new-product mail to a store's followers through the whole graph, delivered to a real SMTP
// server: a product published through the catalog, the mail written by the follower mail writer
// from the committed event, sent by the mail sender. The graph runs over a database of its own, so
// that its writer and sender are the only ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerSettingsFromEnvironment } from '@commerce/customer';
import { orderSettingsFromEnvironment } from '@commerce/order';
import { storeSettingsFromEnvironment } from '@commerce/store';
import {
  createProduct,
  createStore,
  errorCodes,
  eventually,
  keyOf,
  signUpCustomer,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
  type TestCustomer,
  type TestStore,
} from '@commerce/testkit';
import { asOwner, PRODUCT_UPDATE } from '@commerce/testkit/catalog-kit';
import {
  followerMailCaughtUp,
  STORE_FOLLOW,
  STORE_FOLLOW_UPDATE,
  STORE_UNFOLLOW,
} from '@commerce/testkit/customer-kit';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '@commerce/testkit/smtp-kit';

let smtp: TestSmtpServer;
let graph: IsolatedTestGraph;
beforeAll(async () => {
  smtp = await startSmtpServer();
  const mail = { smtpUrl: smtp.url, from: 'news@example.com' };
  graph = await startIsolatedTestGraph({
    subgraphSettings: {
      store: { ...storeSettingsFromEnvironment(), mail },
      customer: { ...customerSettingsFromEnvironment(), mail, storefrontUrl: 'https://shops.example.com/{store}' },
      order: { ...orderSettingsFromEnvironment(), mail },
    },
  });
});
afterAll(async () => {
  await graph?.close();
  await smtp?.close();
});

const STORE_UPDATE = `mutation ($input: StoreUpdateInput!) { storeUpdate(input: $input) { store { id } userErrors { code } } }`;
const CUSTOMER_DELETE = `mutation ($input: CustomerDeleteInput!) { customerDelete(input: $input) { deletedCustomerId userErrors { code } } }`;
const CUSTOMER_UPDATE_BY_STAFF = `mutation ($input: CustomerUpdateByStaffInput!) {
  customerUpdateByStaff(input: $input) { customer { id } userErrors { code } }
}`;
const STORE_CONFIG = `mutation ($input: StoreConfigUpdateInput!) {
  storeConfigUpdate(input: $input) { store { settings { buyerNotifications { newProducts } } } userErrors { field message code } }
}`;

async function follower(store: TestStore): Promise<TestCustomer> {
  const customer = await signUpCustomer(graph.client, store);
  await graph.client.data(STORE_FOLLOW, { storeId: store.id }, { token: customer.accessToken });
  return customer;
}

/** The new-product mails a customer received (their welcome mail apart). */
function newProductMails(customer: TestCustomer): ReceivedMail[] {
  return smtp.to(customer.email).filter((mail) => /^(New at|Neu bei) /.test(mail.subject));
}

/** Waits until the writer has read the store's events and the sender has sent every mail it wrote. */
async function settled(store: TestStore): Promise<void> {
  const storeId = keyOf(store.id);
  await followerMailCaughtUp(graph.owner, storeId);
  await eventually('the store mails to be sent', async () => {
    const pending = await graph.owner.mailMessage.count({ where: { storeId, status: 'PENDING' } });
    return pending === 0;
  });
}

function activate(store: TestStore, productId: string, status = 'ACTIVE') {
  return graph.client.data(PRODUCT_UPDATE, { input: { id: productId, status } }, asOwner(store));
}

describe("new-product mail to a store's followers", () => {
  it('mails each follower once when a product is published, and no one else', async () => {
    const store = await createStore(graph.client);
    const fan = await follower(store);
    const bystander = await signUpCustomer(graph.client, store);
    const product = await createProduct(graph.client, store, {
      title: 'Walnut Desk',
      status: 'ACTIVE',
      variants: [{ price: '240.00' }],
    });
    await settled(store);

    const mails = newProductMails(fan);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe(`New at Store ${store.slug}: Walnut Desk`);
    expect(mail?.from).toBe(`"Store ${store.slug}" <news@example.com>`);
    const link = `https://shops.example.com/${store.slug}/products/${product.handle}`;
    for (const part of [mail?.text, mail?.html]) {
      expect(part).toContain('Walnut Desk');
      expect(part).toContain('€240.00');
      expect(part).toContain(link);
    }
    expect(mail?.text).toContain(`See the product: ${link}`);
    expect(newProductMails(bystander)).toEqual([]);

    const published = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { publishedAt } } }`,
      { id: product.id },
      asOwner(store),
    );
    expect(published.node.publishedAt).toEqual(expect.any(String));
  });

  it('mails nothing for a draft until it is activated, and nothing when it is activated again', async () => {
    const store = await createStore(graph.client);
    const fan = await follower(store);
    const product = await createProduct(graph.client, store, { title: 'Oak Shelf', status: 'DRAFT' });
    await settled(store);
    expect(newProductMails(fan)).toEqual([]);

    await activate(store, product.id);
    await settled(store);
    expect(newProductMails(fan).map((mail) => mail.subject)).toEqual([`New at Store ${store.slug}: Oak Shelf`]);

    // A follower who joins after the product was published hears of it from no re-activation.
    const late = await follower(store);
    await activate(store, product.id, 'DRAFT');
    await activate(store, product.id, 'ACTIVE');
    await graph.client.data(
      `mutation ($id: ID!) { productDelete(id: $id) { userErrors { code } } }`,
      { id: product.id },
      asOwner(store),
    );
    await activate(store, product.id, 'ACTIVE');
    await settled(store);
    expect(newProductMails(fan)).toHaveLength(1);
    expect(newProductMails(late)).toEqual([]);
  });

  it('mails neither a follower who turned the mail off nor one who unfollowed', async () => {
    const store = await createStore(graph.client);
    const quiet = await follower(store);
    const gone = await follower(store);
    const fan = await follower(store);
    const turnedOff = await graph.client.data(
      STORE_FOLLOW_UPDATE,
      { input: { storeId: store.id, notifyNewProducts: false } },
      { token: quiet.accessToken },
    );
    expect(turnedOff.storeFollowUpdate).toEqual({
      following: true,
      storeFollow: { store: { id: store.id }, notifyNewProducts: false },
      userErrors: [],
    });
    await graph.client.data(STORE_UNFOLLOW, { storeId: store.id }, { token: gone.accessToken });

    await createProduct(graph.client, store, { title: 'Linen Throw', status: 'ACTIVE' });
    await settled(store);
    expect(newProductMails(fan)).toHaveLength(1);
    expect(newProductMails(quiet)).toEqual([]);
    expect(newProductMails(gone)).toEqual([]);
    const follows = await graph.client.data(
      `{ currentCustomer { storeFollows { notifyNewProducts store { id } } } }`,
      {},
      { token: quiet.accessToken },
    );
    expect(follows.currentCustomer.storeFollows).toEqual([{ notifyNewProducts: false, store: { id: store.id } }]);
  });

  it("writes in the store's language and branding, and mails no erased or suspended follower", async () => {
    const store = await createStore(graph.client);
    await graph.client.data(STORE_UPDATE, { input: { locale: 'de-DE' } }, asOwner(store));
    await graph.client.data(STORE_CONFIG, { input: { branding: { primaryColor: '#ff6600' } } }, asOwner(store));
    const fan = await follower(store);
    const erased = await follower(store);
    const suspended = await follower(store);
    await graph.client.data(CUSTOMER_DELETE, { input: { id: erased.id } }, asOwner(store));
    await graph.client.data(
      CUSTOMER_UPDATE_BY_STAFF,
      { input: { id: suspended.id, status: 'SUSPENDED' } },
      asOwner(store),
    );

    await createProduct(graph.client, store, { title: 'Teekanne', variants: [{ price: '30.00' }] });
    await settled(store);
    const [mail, ...others] = newProductMails(fan);
    expect(others).toEqual([]);
    expect(mail?.subject).toBe(`Neu bei Store ${store.slug}: Teekanne`);
    expect(mail?.text).toMatch(/Teekanne, 30,00\s€\./);
    expect(mail?.text).toContain(`Zum Produkt: https://shops.example.com/${store.slug}/products/`);
    expect(mail?.html).toContain('<html lang="de">');
    expect(mail?.html).toContain('border-top:4px solid #ff6600');
    expect(newProductMails(erased)).toEqual([]);
    expect(newProductMails(suspended)).toEqual([]);
  });

  it('answers NOT_FOLLOWING to a customer who changes a follow they do not have', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const result = await graph.client.data(
      STORE_FOLLOW_UPDATE,
      { input: { storeId: store.id, notifyNewProducts: false } },
      { token: customer.accessToken },
    );
    expect(result.storeFollowUpdate).toMatchObject({ following: false, storeFollow: null });
    expect(result.storeFollowUpdate.userErrors.map((error: { code: string }) => error.code)).toEqual(['NOT_FOLLOWING']);
    const other = await createStore(graph.client);
    const forbidden = await graph.client.execute(
      STORE_FOLLOW_UPDATE,
      { input: { storeId: other.id, notifyNewProducts: false } },
      { token: customer.accessToken },
    );
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
  });

  it("mails no follower while the store's newProducts switch is off", async () => {
    const store = await createStore(graph.client);
    const fan = await follower(store);
    const off = await graph.client.data(
      STORE_CONFIG,
      { input: { settings: { buyerNotifications: { newProducts: false } } } },
      asOwner(store),
    );
    expect(off.storeConfigUpdate.store.settings.buyerNotifications).toEqual({ newProducts: false });
    await createProduct(graph.client, store, { title: 'Clay Vase', status: 'ACTIVE' });
    await settled(store);
    expect(newProductMails(fan)).toEqual([]);
  });

  it('writes no second mail when the event is read again', async () => {
    const store = await createStore(graph.client);
    const fan = await follower(store);
    await createProduct(graph.client, store, { title: 'Brass Lamp', status: 'ACTIVE' });
    await settled(store);
    expect(newProductMails(fan)).toHaveLength(1);

    // Replay: the writer's cursor goes back to before the event, as after a crash before its commit.
    const storeId = keyOf(store.id);
    await graph.owner.followerMailCursor.update({ where: { storeId }, data: { lastSequence: 0n } });
    await expect(graph.graph.realtime.followerMail?.catchUp(storeId)).resolves.toBe(0);
    await settled(store);
    expect(newProductMails(fan)).toHaveLength(1);
    expect(await graph.owner.mailMessage.count({ where: { storeId, kind: 'NEW_PRODUCT' } })).toBe(1);
  });
});
