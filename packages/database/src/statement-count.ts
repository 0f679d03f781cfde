import { AsyncLocalStorage } from 'node:async_hooks';

/** Statements sent by every database client of this process, for query-count tests and benchmarks. */
export const processStatementCount = { value: 0 };

/** A counter of SQL statements for one unit of work (a request, a test). */
export interface StatementCounter {
  count: number;
  statements: string[];
}

const counters = new AsyncLocalStorage<StatementCounter>();
const background = new AsyncLocalStorage<true>();

/** Runs fn while counting every SQL statement sent on its behalf. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; counter: StatementCounter }> {
  const counter: StatementCounter = { count: 0, statements: [] };
  const result = await counters.run(counter, fn);
  return { result, counter };
}

/**
 * Runs fn as background work that belongs to no request (the mail sender): its statements count
 * neither towards the request that happened to wake it nor towards processStatementCount, as the
 * outbox relay's, sent on a connection of its own, do not.
 */
export function runUncounted<T>(fn: () => Promise<T>): Promise<T> {
  return background.run(true, fn);
}

/** The statement counter of the current async context, if any. */
export function currentStatementCounter(): StatementCounter | undefined {
  return counters.getStore();
}

/** Counts a statement sent (as Prisma's query log shows them: BEGIN is not one, COMMIT is). */
export function reportStatement(sql: string): void {
  if (background.getStore()) return;
  processStatementCount.value += 1;
  const counter = counters.getStore();
  if (counter) {
    counter.count += 1;
    counter.statements.push(sql);
  }
}
