// Buyer notifications and account mail through the whole graph, delivered to a real SMTP server:
// the graph runs over a database of its own, so that its mail sender is the only one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  signUpCustomer,
  startIsolatedTestGraph,
  unique,
  type IsolatedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCart, placeOrder, stockedProductInput } from '@commerce/testkit/checkout-kit';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '@commerce/testkit/smtp-kit';
import { eventually } from '@commerce/testkit';
import { customerSettingsFromEnvironment } from '@commerce/customer';
import { storeSettingsFromEnvironment } from '@commerce/store';
import { orderSettingsFromEnvironment } from '@commerce/order';

let smtp: TestSmtpServer;
let graph: IsolatedTestGraph;
beforeAll(async () => {
  smtp = await startSmtpServer();
  const mail = { smtpUrl: smtp.url, from: 'orders@example.com' };
  graph = await startIsolatedTestGraph({
    subgraphSettings: {
      store: { ...storeSettingsFromEnvironment(), mail },
      customer: { ...customerSettingsFromEnvironment(), mail },
      order: { ...orderSettingsFromEnvironment(), mail },
    },
  });
});
afterAll(async () => {
  await graph?.close();
  await smtp?.close();
});

const USER_ERRORS = 'userErrors { field message code }';
const MUTATIONS = {
  confirm: `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { id } ${USER_ERRORS} } }`,
  markPaid: `mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { order { id } ${USER_ERRORS} } }`,
  cancel: `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { id } ${USER_ERRORS} } }`,
  fulfil: `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { order { id } ${USER_ERRORS} } }`,
  refund: `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { order { id } ${USER_ERRORS} } }`,
  locale: `mutation ($input: StoreUpdateInput!) { storeUpdate(input: $input) { store { id } ${USER_ERRORS} } }`,
  settings: `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { store { settings { buyerNotifications { orderConfirmation paymentReceived shippingConfirmation orderCancelled refund returnUpdates } } } ${USER_ERRORS} } }`,
  deliver: `mutation ($input: OrderMarkDeliveredInput!) { orderMarkDelivered(input: $input) { order { id } ${USER_ERRORS} } }`,
  returnRequest: `mutation ($input: ReturnRequestInput!) { returnRequest(input: $input) { return { id lines { id } } ${USER_ERRORS} } }`,
  returnApprove: `mutation ($input: ReturnApproveInput!) { returnApprove(input: $input) { return { id } ${USER_ERRORS} } }`,
  returnDecline: `mutation ($input: ReturnDeclineInput!) { returnDecline(input: $input) { return { id } ${USER_ERRORS} } }`,
  returnReceive: `mutation ($input: ReturnReceiveInput!) { returnReceive(input: $input) { return { id } ${USER_ERRORS} } }`,
};
type Operation = keyof typeof MUTATIONS;

/** Runs a mutation as the store's owner and returns its payload, failing on userErrors. */
async function run(store: TestStore, operation: Operation, input: Record<string, unknown>) {
  const variables: Record<string, unknown> = { input };
  if (operation === 'refund') variables.key = unique('refund');
  const data = await graph.client.data(MUTATIONS[operation], variables, {
    token: store.owner.accessToken,
    store: store.slug,
  });
  const payload = Object.values(data)[0] as { userErrors: unknown[] } & Record<string, unknown>;
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** A store with an order of 3 mugs at 12.00 and a teapot at 30.00 (66.00) from `email`. */
async function placedOrder(email: string, options: { store?: TestStore; provider?: string } = {}) {
  const store = options.store ?? (await createStore(graph.client));
  const mug = await createProduct(
    graph.client,
    store,
    stockedProductInput([{ price: '12.00', stock: 10 }], { title: 'Mug' }),
  );
  const teapot = await createProduct(
    graph.client,
    store,
    stockedProductInput([{ price: '30.00', stock: 5 }], { title: 'Teapot' }),
  );
  const cart = await createCart(graph.client, store, [
    { variantId: mug.variants[0]!.id, quantity: 3 },
    { variantId: teapot.variants[0]!.id, quantity: 1 },
  ]);
  const order = await placeOrder(graph.client, store, cart.id, {
    email,
    payment: options.provider ? { provider: options.provider } : undefined,
  });
  return { store, order: order as { id: string; number: string } };
}

/** The mails to `to` once `count` have arrived, after a pause in which a duplicate would show. */
async function mailsTo(to: string, count: number): Promise<ReceivedMail[]> {
  await eventually(`${count} mail(s) to ${to}`, () => smtp.to(to).length >= count);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return smtp.to(to);
}

describe('buyer notifications', () => {
  it('a checkout sends exactly one order confirmation, with both parts and the right totals', async () => {
    const email = `${unique('buyer')}@example.com`;
    const { store, order } = await placedOrder(email);
    const mails = await mailsTo(email, 1);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe(`Your order ${order.number} at Store ${store.slug}`);
    expect(mail?.from).toBe(`"Store ${store.slug}" <orders@example.com>`);
    for (const part of [mail?.text, mail?.html]) {
      expect(part).toContain('3 × Mug');
      expect(part).toContain('€36.00');
      expect(part).toContain('1 × Teapot');
      expect(part).toContain('€66.00');
      expect(part).toContain('Your payment of €66.00 has been received.');
    }
    expect(mail?.text).toMatch(/Total\s+€66\.00/);
    expect(mail?.html).toContain('<html lang="en">');
  });

  it('a payment recorded later, a shipment with tracking and a refund each send their mail', async () => {
    const email = `${unique('buyer')}@example.com`;
    const { store, order } = await placedOrder(email, { provider: 'MANUAL' });
    await run(store, 'markPaid', { orderId: order.id, reference: 'BANK-1' });
    await run(store, 'confirm', { orderId: order.id });
    await run(store, 'fulfil', {
      orderId: order.id,
      carrier: 'DHL',
      trackingNumber: '00340434161094042557',
      trackingUrl: 'https://www.dhl.de/track?piececode=00340434161094042557',
    });
    await run(store, 'refund', { orderId: order.id, amount: '12.00', reason: 'A mug arrived chipped' });

    const mails = await mailsTo(email, 4);
    expect(mails.map((mail) => mail.subject)).toEqual([
      `Your order ${order.number} at Store ${store.slug}`,
      `Payment received for order ${order.number}`,
      `Order ${order.number} has shipped`,
      `Refund for order ${order.number}`,
    ]);
    const [confirmation, payment, shipping, refund] = mails;
    expect(confirmation?.text).toContain('as soon as your payment of €66.00 arrives');
    expect(payment?.text).toContain('We have received your payment of €66.00');
    expect(shipping?.text).toContain('4 item(s) of order');
    expect(shipping?.text).toContain('with DHL');
    expect(shipping?.text).toContain('Tracking number: 00340434161094042557');
    expect(shipping?.text).toContain('Track your parcel: https://www.dhl.de/track?piececode=00340434161094042557');
    expect(shipping?.html).toContain('href="https://www.dhl.de/track?piececode=00340434161094042557"');
    expect(refund?.text).toContain('We have refunded €12.00');
    expect(refund?.text).toContain('Reason: A mug arrived chipped');
    expect(refund?.html).toContain('€12.00');
  });

  it('a cancellation sends one mail that tells what was refunded', async () => {
    const email = `${unique('buyer')}@example.com`;
    const { store, order } = await placedOrder(email);
    await run(store, 'cancel', { orderId: order.id, reason: 'Out of stock at the supplier' });
    const mails = await mailsTo(email, 2);
    expect(mails).toHaveLength(2);
    const cancellation = mails[1];
    expect(cancellation?.subject).toBe(`Order ${order.number} was cancelled`);
    expect(cancellation?.text).toContain('was cancelled: Out of stock at the supplier');
    expect(cancellation?.text).toContain('We have refunded €66.00 to your original payment method.');
    expect(cancellation?.html).toContain('We have refunded €66.00');
  });

  it('a notification the store turned off is not sent; the others still are', async () => {
    const store = await createStore(graph.client);
    const settings = await run(store, 'settings', {
      settings: { buyerNotifications: { orderConfirmation: false } },
    });
    expect(settings).toMatchObject({
      store: {
        settings: {
          buyerNotifications: {
            orderConfirmation: false,
            paymentReceived: true,
            shippingConfirmation: true,
            orderCancelled: true,
            refund: true,
            returnUpdates: true,
          },
        },
      },
    });
    const email = `${unique('buyer')}@example.com`;
    const { order } = await placedOrder(email, { store });
    await run(store, 'cancel', { orderId: order.id, reason: 'Changed my mind' });
    const mails = await mailsTo(email, 1);
    expect(mails.map((mail) => mail.subject)).toEqual([`Order ${order.number} was cancelled`]);
    expect(await graph.owner.mailMessage.count({ where: { to: email } })).toBe(1);
  });

  it('tells the buyer each step of a return: requested, approved, received; a declined one why', async () => {
    const email = `${unique('returner')}@example.com`;
    const { store, order } = await placedOrder(email);
    await run(store, 'confirm', { orderId: order.id });
    await run(store, 'fulfil', { orderId: order.id, carrier: 'DHL', trackingNumber: 'R-1' });
    await run(store, 'deliver', { orderId: order.id });
    const lines = await graph.client.data<{ node: { lines: Array<{ id: string; title: string }> } }>(
      'query ($id: ID!) { node(id: $id) { ... on Order { lines { id title } } } }',
      { id: order.id },
      { token: store.owner.accessToken, store: store.slug },
    );
    const mug = lines.node.lines.find((line) => line.title === 'Mug');
    const teapot = lines.node.lines.find((line) => line.title === 'Teapot');
    const requested = (await run(store, 'returnRequest', {
      orderId: order.id,
      lines: [{ orderLineId: mug?.id, quantity: 2, reason: 'DAMAGED' }],
    })) as unknown as { return: { id: string; lines: Array<{ id: string }> } };
    await run(store, 'returnApprove', { returnId: requested.return.id });
    await run(store, 'returnReceive', {
      returnId: requested.return.id,
      lines: [{ returnLineId: requested.return.lines[0]?.id, quantity: 2 }],
    });
    const declined = (await run(store, 'returnRequest', {
      orderId: order.id,
      lines: [{ orderLineId: teapot?.id, quantity: 1, reason: 'UNWANTED' }],
    })) as unknown as { return: { id: string } };
    await run(store, 'returnDecline', { returnId: declined.return.id, reason: 'Opened and used' });

    // The confirmation and shipping mails, then the returns': one mail per step, none twice.
    // The sender sends due mails side by side, so the order they arrive in is not promised.
    const mails = (await mailsTo(email, 7)).slice(2);
    const requestedSubject = `We received your return request for order ${order.number}`;
    const receivedSubject = `We received your returned items for order ${order.number}`;
    const declinedSubject = `Your return for order ${order.number} was declined`;
    expect(mails.map((mail) => mail.subject).sort()).toEqual(
      [
        requestedSubject,
        `Your return for order ${order.number} is approved`,
        receivedSubject,
        requestedSubject,
        declinedSubject,
      ].sort(),
    );
    const withSubject = (subject: string) => mails.filter((mail) => mail.subject === subject);
    expect(withSubject(requestedSubject).map((mail) => /Mug\s+× 2/.test(mail.text ?? ''))).toContain(true);
    expect(withSubject(receivedSubject)[0]?.text).toMatch(/Mug\s+× 2/);
    expect(withSubject(declinedSubject)[0]?.text).toContain('We cannot accept this return: Opened and used');

    // Turned off, a return's steps write no mail at all.
    await run(store, 'settings', { settings: { buyerNotifications: { returnUpdates: false } } });
    const again = (await run(store, 'returnRequest', {
      orderId: order.id,
      lines: [{ orderLineId: teapot?.id, quantity: 1, reason: 'UNWANTED' }],
    })) as unknown as { return: { id: string } };
    await run(store, 'returnApprove', { returnId: again.return.id });
    expect(await graph.owner.mailMessage.count({ where: { to: email } })).toBe(7);
  });

  it("mails in the store's language and branding", async () => {
    const store = await createStore(graph.client);
    await run(store, 'locale', { locale: 'de-DE' });
    await run(store, 'settings', {
      branding: { primaryColor: '#ff6600', logoUrl: 'https://cdn.example.com/logo.png' },
    });
    const email = `${unique('kunde')}@example.com`;
    const { order } = await placedOrder(email, { store });
    const [mail] = await mailsTo(email, 1);
    expect(mail?.subject).toBe(`Ihre Bestellung Nr. ${order.number.replace('#', '')} bei Store ${store.slug}`);
    expect(mail?.text).toContain('Vielen Dank für Ihre Bestellung!');
    expect(mail?.text).toMatch(/Gesamt\s+66,00\s€/);
    expect(mail?.html).toContain('<html lang="de">');
    expect(mail?.html).toContain('border-top:4px solid #ff6600');
    expect(mail?.html).toContain('<img src="https://cdn.example.com/logo.png"');
  });

  it('refuses a null notification setting with a user error', async () => {
    const store = await createStore(graph.client);
    const data = await graph.client.data(
      MUTATIONS.settings,
      { input: { settings: { buyerNotifications: { refund: null } } } },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(data.storeConfigUpdate.userErrors).toEqual([
      {
        field: ['input', 'settings', 'buyerNotifications', 'refund'],
        message: 'Give true or false, or leave the field out.',
        code: 'BLANK',
      },
    ]);
  });
});

describe('account mail', () => {
  it('a password reset comes through the mail outbox to the SMTP server', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await mailsTo(customer.email, 1); // the welcome mail
    const data = await graph.client.data(
      `mutation ($email: String!) { customerPasswordResetRequest(email: $email) { ${USER_ERRORS} } }`,
      { email: customer.email },
      { store: store.slug },
    );
    expect(data.customerPasswordResetRequest.userErrors).toEqual([]);
    const mails = await mailsTo(customer.email, 2);
    expect(mails).toHaveLength(2);
    const reset = mails[1];
    expect(reset?.subject).toBe(`Reset your password for Store ${store.slug}`);
    expect(reset?.text).toMatch(/\/account\/reset-password\?token=[\w-]+/);
    expect(reset?.html).toContain('/account/reset-password?token=');
    const row = await graph.owner.mailMessage.findFirstOrThrow({
      where: { to: customer.email, subject: reset?.subject },
    });
    expect(row).toMatchObject({ kind: 'ACCOUNT', status: 'SENT', attempts: 1 });
  });
});
