import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { mailsTo, SIGN_UP, tokenFrom, waitForMail } from '@commerce/testkit/customer-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const VERIFY = `mutation ($token: String!) { customerEmailVerify(token: $token) { customer { id emailVerified } userErrors { field code } } }`;
const RESEND = `mutation { customerEmailVerificationResend { sent userErrors { code } } }`;
const ME = `{ currentCustomer { id emailVerified } }`;

async function storeRequiringVerification(): Promise<TestStore> {
  const store = await createStore(graph.client);
  await owner.store.update({ where: { id: keyOf(store.id) }, data: { emailVerificationRequired: true } });
  return store;
}

describe('email verification', () => {
  it('without verification required, sign-up sends only a welcome mail', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store, { firstName: 'Grace' });
    const mails = await mailsTo(owner, store, customer.email);
    expect(mails.map((mail) => mail.subject)).toEqual([`Welcome to Store ${store.slug}`]);
    expect(mails[0]?.text).toContain('Hello Grace,');
    expect(mails[0]?.text).toContain(`http://localhost:3000/${store.slug}/account`);
  });

  it('when the store requires it, sign-up mails a link that verifies the address once; the customer can browse meanwhile', async () => {
    const store = await storeRequiringVerification();
    const customer = await signUpCustomer(graph.client, store);
    const subjects = (await mailsTo(owner, store, customer.email)).map((mail) => mail.subject).sort();
    expect(subjects).toEqual([`Confirm your email address for Store ${store.slug}`, `Welcome to Store ${store.slug}`]);
    expect((await graph.client.data(ME, {}, { token: customer.accessToken })).currentCustomer).toEqual({
      id: customer.id,
      emailVerified: false,
    });

    const token = tokenFrom(await waitForMail(owner, store, customer.email, /Confirm your email/));
    // The link works without signing in: it may be opened on another device.
    const verified = await graph.client.data(VERIFY, { token }, { store: store.slug });
    expect(verified.customerEmailVerify).toEqual({
      customer: { id: customer.id, emailVerified: true },
      userErrors: [],
    });
    expect((await graph.client.data(ME, {}, { token: customer.accessToken })).currentCustomer.emailVerified).toBe(true);

    const reused = await graph.client.data(VERIFY, { token }, { store: store.slug });
    expect(reused.customerEmailVerify).toEqual({
      customer: null,
      userErrors: [{ field: ['token'], code: 'INVALID_TOKEN' }],
    });
    const resend = await graph.client.data(RESEND, {}, { token: customer.accessToken });
    expect(resend.customerEmailVerificationResend).toEqual({ sent: false, userErrors: [{ code: 'ALREADY_VERIFIED' }] });
  });

  it('an expired verification link is TOKEN_EXPIRED; a resent one works and replaces the old one', async () => {
    const store = await storeRequiringVerification();
    const customer = await signUpCustomer(graph.client, store);
    const first = tokenFrom(await waitForMail(owner, store, customer.email, /Confirm your email/));
    await owner.customerToken.updateMany({
      where: { customerId: keyOf(customer.id) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(
      (await graph.client.data(VERIFY, { token: first }, { store: store.slug })).customerEmailVerify.userErrors,
    ).toEqual([{ field: ['token'], code: 'TOKEN_EXPIRED' }]);

    // One resend a minute: the sign-up mail is too recent until the clock moves on.
    const tooSoon = await graph.client.data(RESEND, {}, { token: customer.accessToken });
    expect(tooSoon.customerEmailVerificationResend).toEqual({ sent: false, userErrors: [{ code: 'TOO_SOON' }] });
    await owner.customerToken.updateMany({
      where: { customerId: keyOf(customer.id) },
      data: { createdAt: new Date(Date.now() - 120_000) },
    });
    await owner.mailMessage.deleteMany({ where: { to: customer.email } });
    const resent = await graph.client.data(RESEND, {}, { token: customer.accessToken });
    expect(resent.customerEmailVerificationResend).toEqual({ sent: true, userErrors: [] });
    const second = tokenFrom(await waitForMail(owner, store, customer.email, /Confirm your email/));
    expect(second).not.toBe(first);
    expect(
      (await graph.client.data(VERIFY, { token: first }, { store: store.slug })).customerEmailVerify.userErrors,
    ).toEqual([{ field: ['token'], code: 'INVALID_TOKEN' }]);
    expect(
      (await graph.client.data(VERIFY, { token: second }, { store: store.slug })).customerEmailVerify.userErrors,
    ).toEqual([]);
  });

  it('resending needs a signed-in customer; verifying needs the store of the link', async () => {
    const store = await storeRequiringVerification();
    const other = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    expect(errorCodes(await graph.client.execute(RESEND, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
    const token = tokenFrom(await waitForMail(owner, store, customer.email, /Confirm your email/));
    expect((await graph.client.data(VERIFY, { token }, { store: other.slug })).customerEmailVerify.userErrors).toEqual([
      { field: ['token'], code: 'INVALID_TOKEN' },
    ]);
    expect(errorCodes(await graph.client.execute(VERIFY, { token }))).toEqual(['BAD_USER_INPUT']);
  });

  it("mails speak the customer's language, else the store's, else English, in the store's branding", async () => {
    const store = await createStore(graph.client);
    await owner.store.update({
      where: { id: keyOf(store.id) },
      data: {
        name: 'Müller & <Söhne>',
        locale: 'de-DE',
        branding: { primaryColor: '#0a7d3b', logoUrl: 'https://cdn.example.com/logo.png' },
      },
    });
    const german = await signUpCustomer(graph.client, store, { firstName: 'Jürgen' });
    const [welcome] = await mailsTo(owner, store, german.email);
    expect(welcome?.subject).toBe('Willkommen bei Müller & <Söhne>');
    expect(welcome?.text).toContain('Hallo Jürgen,');
    expect(welcome?.html).toContain('Müller &amp; &lt;Söhne&gt;');
    expect(welcome?.html).not.toContain('<Söhne>');
    expect(welcome?.html).toContain('#0a7d3b');
    expect(welcome?.html).toContain('src="https://cdn.example.com/logo.png"');

    const email = `${unique('english')}@example.com`;
    await graph.client.data(
      SIGN_UP,
      { input: { email, password: 'plum orchard lantern', firstName: 'Ann', lastName: 'Lee', locale: 'en-GB' } },
      { store: store.slug },
    );
    expect((await mailsTo(owner, store, email))[0]?.subject).toBe('Welcome to Müller & <Söhne>');

    const french = await createStore(graph.client);
    await owner.store.update({ where: { id: keyOf(french.id) }, data: { locale: 'fr' } });
    const fallback = await signUpCustomer(graph.client, french);
    expect((await mailsTo(owner, french, fallback.email))[0]?.subject).toBe(`Welcome to Store ${french.slug}`);
  });
});
