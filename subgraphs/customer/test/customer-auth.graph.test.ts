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
} from '@commerce/testkit';
import { LOG_IN, SIGN_UP } from '@commerce/testkit/customer-kit';

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

const ME = `{ currentCustomer { id email firstName lastName displayName phone acceptsMarketing status group tags emailVerified addresses { id } defaultAddress { id } } }`;
const REFRESH = `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { code } } }`;

function logIn(store: string, email: string, password: string) {
  return graph.client.data(LOG_IN, { input: { email, password } }, { store });
}

describe('customer sign-up and log-in through the gateway', () => {
  it('a customer signs up, logs in and reads themself with either token', async () => {
    const store = await createStore(graph.client);
    const email = `${unique('Shopper')}@Example.com`;
    const signUp = await graph.client.data(
      SIGN_UP,
      {
        input: {
          email: `  ${email} `,
          password: 'plum orchard lantern',
          firstName: ' Grace ',
          lastName: 'Hopper',
          phone: '+49 (30) 123-4567',
          acceptsMarketing: true,
        },
      },
      { store: store.slug },
    );
    expect(signUp.customerSignUp.userErrors).toEqual([]);
    expect(signUp.customerSignUp.customer).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    expect(signUp.customerSignUp.refreshToken).toEqual(expect.any(String));

    const me = await graph.client.data(ME, {}, { token: signUp.customerSignUp.accessToken });
    expect(me.currentCustomer).toEqual({
      id: signUp.customerSignUp.customer.id,
      email: email.toLowerCase(),
      firstName: 'Grace',
      lastName: 'Hopper',
      displayName: 'Grace Hopper',
      phone: '+49301234567',
      acceptsMarketing: true,
      status: 'ACTIVE',
      group: 'REGULAR',
      tags: [],
      emailVerified: false,
      addresses: [],
      defaultAddress: null,
    });

    const logIn = await graph.client.data(
      LOG_IN,
      { input: { email: email.toUpperCase(), password: 'plum orchard lantern' } },
      { store: store.id },
    );
    expect(logIn.customerLogIn.userErrors).toEqual([]);
    expect(logIn.customerLogIn.customer.id).toBe(signUp.customerSignUp.customer.id);
    const again = await graph.client.data(`{ currentCustomer { id } }`, {}, { token: logIn.customerLogIn.accessToken });
    expect(again.currentCustomer.id).toBe(signUp.customerSignUp.customer.id);
  });

  it('currentCustomer is null for anonymous callers and sellers', async () => {
    const store = await createStore(graph.client);
    expect(
      (await graph.client.data(`{ currentCustomer { id } }`, {}, { store: store.slug })).currentCustomer,
    ).toBeNull();
    expect(
      (await graph.client.data(`{ currentCustomer { id } }`, {}, { store: store.slug, token: store.owner.accessToken }))
        .currentCustomer,
    ).toBeNull();
  });

  it('the same email signs up in two stores as two independent accounts', async () => {
    const [first, second] = [await createStore(graph.client), await createStore(graph.client)];
    const email = `${unique('twice')}@example.com`;
    const inFirst = await signUpCustomer(graph.client, first, { email, password: 'first store secret' });
    const inSecond = await signUpCustomer(graph.client, second, { email, password: 'second store secret' });
    expect(inFirst.id).not.toBe(inSecond.id);

    expect((await logIn(first.slug, email, 'first store secret')).customerLogIn.customer.id).toBe(inFirst.id);
    expect((await logIn(second.slug, email, 'second store secret')).customerLogIn.customer.id).toBe(inSecond.id);
    // Each store's password opens only that store's account.
    expect((await logIn(first.slug, email, 'second store secret')).customerLogIn.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_CREDENTIALS' }),
    ]);
  });

  it("a customer token acts in its own store: another store's X-Store is FORBIDDEN, no X-Store means the token's store", async () => {
    const [home, other] = [await createStore(graph.client), await createStore(graph.client)];
    const customer = await signUpCustomer(graph.client, home);
    const elsewhere = await graph.client.execute(
      `{ currentCustomer { id } }`,
      {},
      { token: customer.accessToken, store: other.slug },
    );
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);

    const implicit = await graph.client.data(
      `{ currentCustomer { id } store { id } }`,
      {},
      { token: customer.accessToken },
    );
    expect(implicit).toEqual({ currentCustomer: { id: customer.id }, store: { id: home.id } });
    const explicit = await graph.client.data(
      `{ currentCustomer { id } }`,
      {},
      { token: customer.accessToken, store: home.slug },
    );
    expect(explicit.currentCustomer.id).toBe(customer.id);
  });

  it('signing up needs a store', async () => {
    const response = await graph.client.execute(SIGN_UP, {
      input: { email: `${unique('c')}@example.com`, password: 'plum orchard lantern', firstName: 'A', lastName: 'B' },
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('an email already used in the store is TAKEN, whatever its case', async () => {
    const store = await createStore(graph.client);
    const existing = await signUpCustomer(graph.client, store);
    const data = await graph.client.data(
      SIGN_UP,
      {
        input: {
          email: existing.email.toUpperCase(),
          password: 'another long secret',
          firstName: 'Copy',
          lastName: 'Cat',
        },
      },
      { store: store.slug },
    );
    expect(data.customerSignUp).toMatchObject({ customer: null, accessToken: null, refreshToken: null });
    expect(data.customerSignUp.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'email'], code: 'TAKEN' }),
    ]);
  });

  it('simultaneous sign-ups with one email create one account; the others are TAKEN, never an error', async () => {
    const store = await createStore(graph.client);
    const email = `${unique('race')}@example.com`;
    const attempts = await Promise.all(
      Array.from({ length: 4 }, () =>
        graph.client.execute(
          SIGN_UP,
          { input: { email, password: 'plum orchard lantern', firstName: 'Race', lastName: 'Condition' } },
          { store: store.slug },
        ),
      ),
    );
    expect(attempts.flatMap((attempt) => attempt.errors ?? [])).toEqual([]);
    const codes = attempts.map(
      (attempt) =>
        attempt.data?.customerSignUp.userErrors.map((error: { code: string }) => error.code).join(',') || 'OK',
    );
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(codes.filter((code) => code === 'TAKEN')).toHaveLength(3);
    expect(await owner.customer.count({ where: { storeId: keyOf(store.id), email } })).toBe(1);
  });

  it('weak or common passwords are WEAK_PASSWORD, and every bad field is reported at once', async () => {
    const store = await createStore(graph.client);
    for (const password of ['short', 'password123', 'Qwertyuiop']) {
      const data = await graph.client.data(
        SIGN_UP,
        { input: { email: `${unique('c')}@example.com`, password, firstName: 'Weak', lastName: 'Password' } },
        { store: store.slug },
      );
      expect(data.customerSignUp.userErrors).toEqual([
        expect.objectContaining({ field: ['input', 'password'], code: 'WEAK_PASSWORD' }),
      ]);
    }
    const invalid = await graph.client.data(
      SIGN_UP,
      {
        input: {
          email: 'not-an-email',
          password: 'plum orchard lantern',
          firstName: ' ',
          lastName: 'x'.repeat(101),
          phone: '12ab',
        },
      },
      { store: store.slug },
    );
    expect(
      invalid.customerSignUp.userErrors.map((error: { field: string[]; code: string }) => [
        error.field.join('.'),
        error.code,
      ]),
    ).toEqual([
      ['input.email', 'INVALID'],
      ['input.firstName', 'BLANK'],
      ['input.lastName', 'TOO_LONG'],
      ['input.phone', 'INVALID'],
    ]);
  });

  it('an unknown email and a wrong password get identical answers', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const wrong = await logIn(store.slug, customer.email, 'not the password');
    const unknown = await logIn(store.slug, `${unique('nobody')}@example.com`, 'not the password');
    expect(wrong).toEqual(unknown);
    expect(wrong.customerLogIn).toEqual({
      customer: null,
      accessToken: null,
      refreshToken: null,
      userErrors: [{ field: ['input'], message: expect.any(String), code: 'INVALID_CREDENTIALS' }],
    });
  });

  it('five wrong passwords lock the account, even against the right one, while others in the store still log in', async () => {
    const store = await createStore(graph.client);
    const victim = await signUpCustomer(graph.client, store);
    const bystander = await signUpCustomer(graph.client, store);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failed = await logIn(store.slug, victim.email, `wrong guess ${attempt}`);
      expect(failed.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual([
        'INVALID_CREDENTIALS',
      ]);
    }
    const locked = await logIn(store.slug, victim.email, victim.password);
    expect(locked.customerLogIn.accessToken).toBeNull();
    expect(locked.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual(['TOO_MANY_ATTEMPTS']);

    const other = await logIn(store.slug, bystander.email, bystander.password);
    expect(other.customerLogIn.userErrors).toEqual([]);
    expect(other.customerLogIn.customer.id).toBe(bystander.id);
  });

  it('a right password after the lock expires signs in and clears the failures', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    for (let attempt = 0; attempt < 5; attempt += 1) await logIn(store.slug, customer.email, `wrong guess ${attempt}`);
    const emailRows = { storeId: keyOf(store.id), subject: { not: '*' } };
    await owner.customerLogInThrottle.updateMany({
      where: emailRows,
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });

    const data = await logIn(store.slug, customer.email, customer.password);
    expect(data.customerLogIn.userErrors).toEqual([]);
    // The failures are forgotten: the next wrong password is the first of a new count, not a lock.
    expect(await owner.customerLogInThrottle.count({ where: emailRows })).toBe(0);
    const next = await logIn(store.slug, customer.email, 'one more wrong guess');
    expect(next.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual(['INVALID_CREDENTIALS']);
    expect((await logIn(store.slug, customer.email, customer.password)).customerLogIn.userErrors).toEqual([]);
  });

  it('a disabled account says so only to someone who knows its password', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    await owner.customer.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(customer.id) } },
      data: { status: 'SUSPENDED' },
    });

    const wrong = await logIn(store.slug, customer.email, 'not the password');
    expect(wrong.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'INVALID_CREDENTIALS',
    ]);
    const right = await logIn(store.slug, customer.email, customer.password);
    expect(right.customerLogIn).toMatchObject({ customer: null, accessToken: null, refreshToken: null });
    expect(right.customerLogIn.userErrors.map((error: { code: string }) => error.code)).toEqual(['ACCOUNT_DISABLED']);
  });

  it("tokenRefresh rotates a customer's refresh token, and replaying a spent one revokes the family", async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const first = await graph.client.data(REFRESH, { token: customer.refreshToken });
    expect(first.tokenRefresh.userErrors).toEqual([]);
    expect(first.tokenRefresh.refreshToken).not.toBe(customer.refreshToken);
    const me = await graph.client.data(
      `{ currentCustomer { id } store { id } }`,
      {},
      { token: first.tokenRefresh.accessToken },
    );
    expect(me).toEqual({ currentCustomer: { id: customer.id }, store: { id: store.id } });

    const replay = await graph.client.data(REFRESH, { token: customer.refreshToken });
    expect(replay.tokenRefresh).toEqual({
      accessToken: null,
      refreshToken: null,
      userErrors: [{ code: 'REFRESH_TOKEN_REUSED' }],
    });
    const afterReuse = await graph.client.data(REFRESH, { token: first.tokenRefresh.refreshToken });
    expect(afterReuse.tokenRefresh.userErrors).toEqual([{ code: 'REFRESH_TOKEN_REUSED' }]);
  });
});
