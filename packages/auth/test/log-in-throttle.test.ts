// The log-in throttle's rules, at the service: an email locks after five failures in a row, for
// 30 s and twice as long at each further failure; a streak is forgotten after a day; a store's
// customers share a budget of failures per window; nothing in it depends on an account existing.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, type Database, type PrismaClient } from '@commerce/database';
import { appDatabase, ownerPrisma, unique } from '@commerce/testkit';
import { clearLogInFailures, type LogInScope, logInPaused, recordLogInFailure } from '../src/index.js';

let owner: PrismaClient;
let app: Database;
beforeAll(() => {
  owner = ownerPrisma();
  app = appDatabase();
});
afterAll(async () => {
  await owner.$disconnect();
  await app.disconnect();
});

const SELLERS: LogInScope = { kind: 'sellers' };

/** Runs a throttle step as the services do: in a transaction of the app role, scoped to the store for customers. */
function step<T>(scope: LogInScope, work: Parameters<typeof inScope<T>>[2]): Promise<T> {
  return inScope(app.prisma, scope.kind === 'customers' ? { storeId: scope.storeId } : {}, work);
}

async function fail(scope: LogInScope, email: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) await step(scope, (tx) => recordLogInFailure(tx, scope, email));
}

function paused(scope: LogInScope, email: string): Promise<boolean> {
  return step(scope, (tx) => logInPaused(tx, scope, email));
}

/** Seconds from now until the email's lock ends (the seller table's row). */
async function lockSeconds(email: string): Promise<number> {
  const subject = `email:${createHash('sha256').update(email).digest('hex')}`;
  const [row] = await owner.$queryRaw<{ seconds: number }[]>`
    SELECT extract(epoch FROM "lockedUntil" - now())::float8 AS "seconds" FROM "SellerLogInThrottle" WHERE "subject" = ${subject}`;
  return row?.seconds ?? 0;
}

async function customerScope(failureBudget: number): Promise<LogInScope> {
  const storeId = randomUUID();
  await owner.store.create({ data: { id: storeId, name: 'Throttle', slug: unique('throttle'), currencyCode: 'EUR' } });
  return { kind: 'customers', storeId, failureBudget };
}

describe('the log-in throttle', () => {
  it('locks an email after five failures in a row for 30 s, then twice as long at each further failure', async () => {
    const email = `${unique('seller')}@example.com`;
    await fail(SELLERS, email, 4);
    expect(await paused(SELLERS, email)).toBe(false);
    await fail(SELLERS, email);
    expect(await paused(SELLERS, email)).toBe(true);
    expect(await lockSeconds(email)).toBeGreaterThan(25);
    expect(await lockSeconds(email)).toBeLessThanOrEqual(30);
    await fail(SELLERS, email);
    expect(await lockSeconds(email)).toBeGreaterThan(55);
    expect(await lockSeconds(email)).toBeLessThanOrEqual(60);
    // Another email is not held up by this one.
    expect(await paused(SELLERS, `${unique('other')}@example.com`)).toBe(false);
  });

  it('forgets an email once its failures are cleared, and a streak a day after it started', async () => {
    const cleared = `${unique('seller')}@example.com`;
    await fail(SELLERS, cleared, 5);
    await step(SELLERS, (tx) => clearLogInFailures(tx, SELLERS, cleared));
    expect(await paused(SELLERS, cleared)).toBe(false);

    const old = `${unique('seller')}@example.com`;
    await fail(SELLERS, old, 4);
    const subject = `email:${createHash('sha256').update(old).digest('hex')}`;
    await owner.$executeRaw`UPDATE "SellerLogInThrottle" SET "windowStart" = now() - interval '25 hours' WHERE "subject" = ${subject}`;
    // The fifth failure starts a new streak of one instead of locking.
    await fail(SELLERS, old);
    expect(await paused(SELLERS, old)).toBe(false);
  });

  it("pauses every log-in of a store once its customers' failures reach the budget, and no other store's", async () => {
    const store = await customerScope(3);
    const other = await customerScope(3);
    await fail(store, `${unique('a')}@example.com`, 2);
    expect(await paused(store, `${unique('b')}@example.com`)).toBe(false);
    await fail(store, `${unique('c')}@example.com`);
    // Three failures of three different emails: every email of the store waits, one never tried included.
    expect(await paused(store, `${unique('d')}@example.com`)).toBe(true);
    expect(await paused(other, `${unique('d')}@example.com`)).toBe(false);
  });
});
