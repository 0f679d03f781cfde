import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  errorCodes,
  eventually,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type GraphQLResponse,
  type SharedTestGraph,
} from '@commerce/testkit';
import { LOG_IN, mailsTo, tokenFrom, waitForMail } from '@commerce/testkit/customer-kit';

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

const REQUEST = `mutation ($email: String!) { customerPasswordResetRequest(email: $email) { userErrors { field message code } } }`;

/** What an answer says, without extensions.cost (whose bucket level moves with every request). */
function outcome(
  answer: GraphQLResponse<unknown> | undefined,
): Pick<GraphQLResponse<unknown>, 'status' | 'data' | 'errors'> {
  return { status: answer?.status ?? 0, data: answer?.data, errors: answer?.errors };
}
const RESET = `mutation ($input: CustomerPasswordResetInput!) { customerPasswordReset(input: $input) { customer { id emailVerified } userErrors { field code } } }`;
/** Makes the customer's reset tokens a minute and a second old, as if the last mail went out then. */
async function backdateResetTokens(customerId: string): Promise<void> {
  await owner.customerToken.updateMany({
    where: { customerId: keyOf(customerId), kind: 'PASSWORD_RESET' },
    data: { createdAt: new Date(Date.now() - 61_000) },
  });
}

const REFRESH = `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { accessToken userErrors { code } } }`;

describe('password reset by mail', () => {
  it('a reset link sets a new password once, ends every session, and the old password stops working', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await graph.client.data(REQUEST, { email: customer.email.toUpperCase() }, { store: store.slug });
    const mail = await waitForMail(owner, store, customer.email, /Reset your password/);
    expect(mail.text).toContain(`http://localhost:3000/${store.slug}/account/reset-password?token=`);
    const token = tokenFrom(mail);

    const reset = await graph.client.data(
      RESET,
      { input: { token, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(reset.customerPasswordReset).toEqual({ customer: { id: customer.id, emailVerified: true }, userErrors: [] });

    const again = await graph.client.data(
      RESET,
      { input: { token, password: 'yet another passphrase' } },
      { store: store.slug },
    );
    expect(again.customerPasswordReset).toEqual({
      customer: null,
      userErrors: [{ field: ['input', 'token'], code: 'INVALID_TOKEN' }],
    });

    expect((await graph.client.data(REFRESH, { token: customer.refreshToken })).tokenRefresh.userErrors).toEqual([
      { code: 'REFRESH_TOKEN_REUSED' },
    ]);
    const oldPassword = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(oldPassword.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    const newPassword = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(newPassword.customerLogIn.userErrors).toEqual([]);
  });

  it('an expired reset link is TOKEN_EXPIRED and changes nothing', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await graph.client.data(REQUEST, { email: customer.email }, { store: store.slug });
    const token = tokenFrom(await waitForMail(owner, store, customer.email, /Reset your password/));
    const issued = await owner.customerToken.findFirstOrThrow({
      where: { customerId: keyOf(customer.id), kind: 'PASSWORD_RESET' },
    });
    // Reset links work for 30 minutes.
    expect(issued.expiresAt.getTime() - issued.createdAt.getTime()).toBe(30 * 60_000);
    await owner.customerToken.update({
      where: { storeId_id: { storeId: issued.storeId, id: issued.id } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const expired = await graph.client.data(
      RESET,
      { input: { token, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(expired.customerPasswordReset).toEqual({
      customer: null,
      userErrors: [{ field: ['input', 'token'], code: 'TOKEN_EXPIRED' }],
    });
    const stillOld = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(stillOld.customerLogIn.userErrors).toEqual([]);
  });

  it('tokens are stored hashed, only the newest link works, and a weak password does not use the link up', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await graph.client.data(REQUEST, { email: customer.email }, { store: store.slug });
    const first = tokenFrom(await waitForMail(owner, store, customer.email, /Reset your password/));
    await owner.mailMessage.deleteMany({ where: { to: customer.email } });
    await backdateResetTokens(customer.id);
    await graph.client.data(REQUEST, { email: customer.email }, { store: store.slug });
    const second = tokenFrom(await waitForMail(owner, store, customer.email, /Reset your password/));
    expect(second).not.toBe(first);
    const rows = await owner.customerToken.findMany({ where: { customerId: keyOf(customer.id) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).not.toContain(second);

    const stale = await graph.client.data(
      RESET,
      { input: { token: first, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(stale.customerPasswordReset.userErrors).toEqual([{ field: ['input', 'token'], code: 'INVALID_TOKEN' }]);
    const weak = await graph.client.data(
      RESET,
      { input: { token: second, password: 'password123' } },
      { store: store.slug },
    );
    expect(weak.customerPasswordReset.userErrors).toEqual([{ field: ['input', 'password'], code: 'WEAK_PASSWORD' }]);
    const good = await graph.client.data(
      RESET,
      { input: { token: second, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(good.customerPasswordReset.userErrors).toEqual([]);
  });

  it('sends at most one reset mail a minute per account, answering every request the same; the mailed link keeps working', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    // Twenty requests at once: one mail, one link.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graph.client.execute(REQUEST, { email: customer.email }, { store: store.slug })),
    );
    for (const answer of answers)
      expect(outcome(answer)).toEqual({
        status: 200,
        data: { customerPasswordResetRequest: { userErrors: [] } },
        errors: undefined,
      });
    const token = tokenFrom(await waitForMail(owner, store, customer.email, /Reset your password/));
    expect(await owner.customerToken.count({ where: { customerId: keyOf(customer.id), kind: 'PASSWORD_RESET' } })).toBe(
      1,
    );
    const issued = await owner.customerToken.findFirstOrThrow({
      where: { customerId: keyOf(customer.id), kind: 'PASSWORD_RESET' },
    });

    const repeats = await Promise.all(
      Array.from({ length: 5 }, () => graph.client.execute(REQUEST, { email: customer.email }, { store: store.slug })),
    );
    for (const repeat of repeats) expect(outcome(repeat)).toEqual(outcome(answers[0]));
    expect(
      await owner.customerToken.findMany({ where: { customerId: keyOf(customer.id), kind: 'PASSWORD_RESET' } }),
    ).toEqual([issued]);

    // A minute later, a request mails a new link (and the earlier one stops working).
    await backdateResetTokens(customer.id);
    await graph.client.data(REQUEST, { email: customer.email }, { store: store.slug });
    await eventually(
      'the second reset mail',
      async () =>
        (await mailsTo(owner, store, customer.email)).filter((mail) => /Reset your password/.test(mail.subject))
          .length === 2,
    );
    const stale = await graph.client.data(
      RESET,
      { input: { token, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(stale.customerPasswordReset.userErrors).toEqual([{ field: ['input', 'token'], code: 'INVALID_TOKEN' }]);
    expect(
      (await mailsTo(owner, store, customer.email)).filter((mail) => /Reset your password/.test(mail.subject)),
    ).toHaveLength(2);
  });

  it('a reset link of one store does nothing in another', async () => {
    const [home, other] = [await createStore(graph.client), await createStore(graph.client)];
    const customer = await signUpCustomer(graph.client, home);
    await graph.client.data(REQUEST, { email: customer.email }, { store: home.slug });
    const token = tokenFrom(await waitForMail(owner, home, customer.email, /Reset your password/));
    const elsewhere = await graph.client.data(
      RESET,
      { input: { token, password: 'a brand new passphrase' } },
      { store: other.slug },
    );
    expect(elsewhere.customerPasswordReset.userErrors).toEqual([{ field: ['input', 'token'], code: 'INVALID_TOKEN' }]);
    const atHome = await graph.client.data(
      RESET,
      { input: { token, password: 'a brand new passphrase' } },
      { store: home.slug },
    );
    expect(atHome.customerPasswordReset.userErrors).toEqual([]);
  });

  it('requests for an existing and an unknown email are indistinguishable; only the existing one gets mail', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const nobody = `${unique('nobody')}@example.com`;
    const known = await graph.client.execute(REQUEST, { email: customer.email }, { store: store.slug });
    const unknown = await graph.client.execute(REQUEST, { email: nobody }, { store: store.slug });
    expect(outcome(known)).toEqual(outcome(unknown));
    expect(outcome(known)).toEqual({
      status: 200,
      data: { customerPasswordResetRequest: { userErrors: [] } },
      errors: undefined,
    });

    await waitForMail(owner, store, customer.email, /Reset your password/);
    expect(await mailsTo(owner, store, nobody)).toEqual([]);
    // Both paths touch the token table the same way; only the real account holds a token.
    expect(await owner.customerToken.count({ where: { storeId: keyOf(store.id), kind: 'PASSWORD_RESET' } })).toBe(1);
  });

  it('a malformed email is INVALID, and a request needs a store', async () => {
    const store = await createStore(graph.client);
    const bad = await graph.client.data(REQUEST, { email: 'not an email' }, { store: store.slug });
    expect(bad.customerPasswordResetRequest.userErrors).toEqual([
      { field: ['email'], message: expect.any(String), code: 'INVALID' },
    ]);
    expect(errorCodes(await graph.client.execute(REQUEST, { email: 'a@example.com' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('the reset lifts a log-in lock', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await graph.client.data(
        LOG_IN,
        { input: { email: customer.email, password: `wrong guess ${attempt}` } },
        { store: store.slug },
      );
    }
    await graph.client.data(REQUEST, { email: customer.email }, { store: store.slug });
    const token = tokenFrom(await waitForMail(owner, store, customer.email, /Reset your password/));
    await graph.client.data(RESET, { input: { token, password: 'a brand new passphrase' } }, { store: store.slug });
    const logIn = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: 'a brand new passphrase' } },
      { store: store.slug },
    );
    expect(logIn.customerLogIn.userErrors).toEqual([]);
  });
});
