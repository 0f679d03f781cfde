// Accounts move to the password-hash cost of the day as they log in: a hash made at another cost
// (PASSWORD_HASH_COST raised since the account was created) still verifies, and is replaced by one
// at the current cost, for sellers and customers alike; a failed log-in leaves it as it was.
import { randomBytes, scryptSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSettings } from '@commerce/auth';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  signUpSeller,
  type SharedTestGraph,
} from '@commerce/testkit';
import { LOG_IN } from '@commerce/testkit/customer-kit';

const SELLER_LOG_IN = `mutation ($input: SellerLogInInput!) {
  sellerLogIn(input: $input) { accessToken userErrors { code } }
}`;

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

/** A hash of the password at scrypt cost 2^11: another cost than the run's. */
function hashAtOtherCost(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2048, r: 8, p: 5, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 2048, 8, 5, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const costOf = (hash: string | null | undefined) => Number(hash?.split('$')[1]);

describe('a password hash of another cost', () => {
  it('is replaced at the current cost when a seller logs in, and kept on a failed log-in', async () => {
    expect(2 ** authSettings().passwordHashCost).not.toBe(2048);
    const seller = await signUpSeller(graph.client);
    await owner.seller.update({
      where: { id: keyOf(seller.id) },
      data: { passwordHash: hashAtOtherCost(seller.password) },
    });

    const wrong = await graph.client.data(SELLER_LOG_IN, {
      input: { email: seller.email, password: 'not the password' },
    });
    expect(wrong.sellerLogIn.userErrors).toEqual([{ code: 'INVALID_CREDENTIALS' }]);
    expect(costOf((await owner.seller.findUnique({ where: { id: keyOf(seller.id) } }))?.passwordHash)).toBe(2048);

    const right = await graph.client.data(SELLER_LOG_IN, { input: { email: seller.email, password: seller.password } });
    expect(right.sellerLogIn.userErrors).toEqual([]);
    const stored = (await owner.seller.findUnique({ where: { id: keyOf(seller.id) } }))?.passwordHash;
    expect(costOf(stored)).toBe(2 ** authSettings().passwordHashCost);
    const again = await graph.client.data(SELLER_LOG_IN, { input: { email: seller.email, password: seller.password } });
    expect(again.sellerLogIn.userErrors).toEqual([]);
  });

  it('is replaced at the current cost when a customer logs in', async () => {
    const store = await createStore(graph.client);
    const customer = await signUpCustomer(graph.client, store);
    const key = { storeId_id: { storeId: keyOf(store.id), id: keyOf(customer.id) } };
    await owner.customer.update({
      where: key,
      data: { passwordHash: hashAtOtherCost(customer.password) },
    });

    const logIn = await graph.client.data(
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    expect(logIn.customerLogIn.userErrors).toEqual([]);
    const stored = (await owner.customer.findUnique({ where: key }))?.passwordHash;
    expect(costOf(stored)).toBe(2 ** authSettings().passwordHashCost);
  });
});
