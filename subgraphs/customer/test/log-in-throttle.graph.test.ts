import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  startTestGraph,
  unique,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import { LOG_IN } from '@commerce/testkit/customer-kit';
import { customerSettingsFromEnvironment } from '../src/server.js';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  // A small store-wide budget (CUSTOMER_LOG_IN_FAILURES_PER_STORE) so that the test can exhaust it;
  // the default is 500 per 15 minutes.
  graph = await startTestGraph({
    subgraphSettings: { customer: { ...customerSettingsFromEnvironment(), logInFailuresPerStore: 12 } },
  });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

async function logIn(store: TestStore, email: string, password: string): Promise<Record<string, unknown>> {
  const data = await graph.client.data(LOG_IN, { input: { email, password } }, { store: store.slug });
  return data.customerLogIn;
}

async function logInCodes(store: TestStore, email: string, password: string): Promise<string[]> {
  const payload = await logIn(store, email, password);
  return (payload.userErrors as { code: string }[]).map((error) => error.code);
}

/** The lock of an email's row (the only row besides the store-wide "*"). */
async function lockOf(store: TestStore): Promise<Date | null> {
  const row = await owner.customerLogInThrottle.findFirstOrThrow({
    where: { storeId: keyOf(store.id), subject: { not: '*' } },
  });
  return row.lockedUntil;
}

describe('brute-force protection of customer log-in', () => {
  it('repeated wrong passwords lock an account for a growing time; other accounts are unaffected', async () => {
    const store = await createStore(graph.client);
    const victim = await signUpCustomer(graph.client, store);
    const bystander = await signUpCustomer(graph.client, store);
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect(await logInCodes(store, victim.email, `wrong ${attempt}`)).toEqual(['INVALID_CREDENTIALS']);
    expect(await logInCodes(store, victim.email, victim.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(await logInCodes(store, bystander.email, bystander.password)).toEqual([]);

    const firstLock = await lockOf(store);
    const firstSeconds = ((firstLock?.getTime() ?? 0) - Date.now()) / 1000;
    expect(firstSeconds).toBeGreaterThan(0);
    expect(firstSeconds).toBeLessThanOrEqual(30);

    // When the lock ends, one more wrong password locks again, for twice as long.
    await owner.customerLogInThrottle.updateMany({
      where: { storeId: keyOf(store.id), subject: { not: '*' } },
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    expect(await logInCodes(store, victim.email, 'wrong again')).toEqual(['INVALID_CREDENTIALS']);
    expect(await logInCodes(store, victim.email, victim.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    const secondSeconds = ((await lockOf(store))?.getTime() ?? 0) / 1000 - Date.now() / 1000;
    expect(secondSeconds).toBeGreaterThan(30);
    expect(secondSeconds).toBeLessThanOrEqual(60);
  });

  it('an email without an account is locked the same way, so a lock does not reveal an account', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const nobody = `${unique('nobody')}@example.com`;
    const known: Record<string, unknown>[] = [];
    const unknown: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      known.push(await logIn(store, customer.email, `wrong ${attempt}`));
      unknown.push(await logIn(store, nobody, `wrong ${attempt}`));
    }
    // Whole answers, messages included.
    expect(unknown).toEqual(known);
    const refused = (code: string) => ({
      customer: null,
      accessToken: null,
      refreshToken: null,
      userErrors: [{ field: ['input'], message: expect.any(String), code }],
    });
    expect(known).toMatchObject([
      ...Array.from({ length: 5 }, () => refused('INVALID_CREDENTIALS')),
      refused('TOO_MANY_ATTEMPTS'),
      refused('TOO_MANY_ATTEMPTS'),
    ]);
    expect(await logInCodes(store, customer.email, customer.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    // No email is stored in the clear.
    const subjects = (await owner.customerLogInThrottle.findMany({ where: { storeId: keyOf(store.id) } })).map(
      (row) => row.subject,
    );
    expect(subjects.some((subject) => subject.includes('@'))).toBe(false);
  });

  it('failures spread across many emails pause log-ins of that store only, until the window passes', async () => {
    const [store, other] = [await createStore(graph.client), await createStore(graph.client)];
    const customer = await signUpCustomer(graph.client, store);
    const elsewhere = await signUpCustomer(graph.client, other);
    // One wrong guess each for twelve different emails: no single email is locked.
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect(await logInCodes(store, `${unique('stuffed')}@example.com`, 'leaked password')).toEqual([
        'INVALID_CREDENTIALS',
      ]);
    }
    expect(await logInCodes(store, customer.email, customer.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(await logInCodes(other, elsewhere.email, elsewhere.password)).toEqual([]);

    await owner.customerLogInThrottle.update({
      where: { storeId_subject: { storeId: keyOf(store.id), subject: '*' } },
      data: { windowStart: new Date(Date.now() - 16 * 60_000) },
    });
    expect(await logInCodes(store, customer.email, customer.password)).toEqual([]);
  });
});
