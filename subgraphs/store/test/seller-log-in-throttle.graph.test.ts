import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import { ownerPrisma, signUpSeller, startTestGraph, unique, type TestGraph } from '@commerce/testkit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const LOG_IN = `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { seller { id } accessToken refreshToken userErrors { field message code } } }`;

async function logIn(email: string, password: string): Promise<Record<string, unknown>> {
  const data = await graph.client.data(LOG_IN, { input: { email, password } });
  return data.sellerLogIn;
}

async function logInCodes(email: string, password: string): Promise<string[]> {
  const payload = await logIn(email, password);
  return (payload.userErrors as { code: string }[]).map((error) => error.code);
}

/** The throttle's row of an email: keyed by its hash, whether or not a seller has the email. */
function emailRow(email: string) {
  return { subject: `email:${createHash('sha256').update(email).digest('hex')}` };
}

describe('brute-force protection of seller log-in', () => {
  it('a registered and a never-registered email get the same answers, and the lock starts at the same attempt', async () => {
    const seller = await signUpSeller(graph.client);
    const nobody = `${unique('nobody')}@example.com`;
    const known: Record<string, unknown>[] = [];
    const unknown: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      known.push(await logIn(seller.email, `wrong ${attempt}`));
      unknown.push(await logIn(nobody, `wrong ${attempt}`));
    }
    expect(unknown).toEqual(known);
    const refused = (code: string) => ({
      seller: null,
      accessToken: null,
      refreshToken: null,
      userErrors: [{ field: ['input'], message: expect.any(String), code }],
    });
    expect(known).toMatchObject([
      ...Array.from({ length: 5 }, () => refused('INVALID_CREDENTIALS')),
      refused('TOO_MANY_ATTEMPTS'),
      refused('TOO_MANY_ATTEMPTS'),
    ]);
    // Both emails are counted under their hashes; neither is kept in the clear.
    const hashed = [emailRow(seller.email).subject, emailRow(nobody).subject];
    expect(await owner.sellerLogInThrottle.count({ where: { subject: { in: hashed } } })).toBe(2);
    expect(await owner.sellerLogInThrottle.count({ where: { subject: { contains: '@' } } })).toBe(0);
  });

  it('the right password is refused during the lock, and signs in once the lock has ended', async () => {
    const seller = await signUpSeller(graph.client);
    const bystander = await signUpSeller(graph.client);
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect(await logInCodes(seller.email, `wrong ${attempt}`)).toEqual(['INVALID_CREDENTIALS']);
    expect(await logInCodes(seller.email, seller.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    expect(await logInCodes(bystander.email, bystander.password)).toEqual([]);

    const lock = await owner.sellerLogInThrottle.findUniqueOrThrow({ where: emailRow(seller.email) });
    const seconds = ((lock.lockedUntil?.getTime() ?? 0) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(30);

    await owner.sellerLogInThrottle.update({
      where: emailRow(seller.email),
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    const signedIn = await logIn(seller.email, seller.password);
    expect(signedIn).toMatchObject({ seller: { id: seller.id }, accessToken: expect.any(String), userErrors: [] });
    // The failures are forgotten: the next wrong password is the first of a new count, not a lock.
    expect(await owner.sellerLogInThrottle.count({ where: emailRow(seller.email) })).toBe(0);
    expect(await logInCodes(seller.email, 'one more wrong guess')).toEqual(['INVALID_CREDENTIALS']);
    expect(await logInCodes(seller.email, seller.password)).toEqual([]);
  });

  it('a lock that ends and is earned again lasts twice as long', async () => {
    const seller = await signUpSeller(graph.client);
    for (let attempt = 0; attempt < 5; attempt += 1) await logIn(seller.email, `wrong ${attempt}`);
    await owner.sellerLogInThrottle.update({
      where: emailRow(seller.email),
      data: { lockedUntil: new Date(Date.now() - 1000) },
    });
    expect(await logInCodes(seller.email, 'wrong again')).toEqual(['INVALID_CREDENTIALS']);
    expect(await logInCodes(seller.email, seller.password)).toEqual(['TOO_MANY_ATTEMPTS']);
    const lock = await owner.sellerLogInThrottle.findUniqueOrThrow({ where: emailRow(seller.email) });
    const seconds = ((lock.lockedUntil?.getTime() ?? 0) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(30);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('failures spread across many emails lock none of them and pause no other seller', async () => {
    const seller = await signUpSeller(graph.client);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect(await logInCodes(`${unique('stuffed')}@example.com`, 'leaked password')).toEqual(['INVALID_CREDENTIALS']);
    }
    expect(await logInCodes(seller.email, seller.password)).toEqual([]);
  });
});
