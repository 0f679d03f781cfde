import { AsyncLocalStorage } from 'node:async_hooks';

/** Statements sent by every database client of this process, for query-count tests and benchmarks. */
export const processStatementCount = { value: 0 };

/** A counter of SQL statements for one unit of work (a request, a test). */
export interface StatementCounter {
  count: number;
  statements: string[];
}

const counters = new AsyncLocalStorage<StatementCounter>();

/** Runs fn while counting every SQL statement sent on its behalf. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; counter: StatementCounter }> {
  const counter: StatementCounter = { count: 0, statements: [] };
  const result = await counters.run(counter, fn);
  return { result, counter };
}

/** The statement counter of the current async context, if any. */
export function currentStatementCounter(): StatementCounter | undefined {
  return counters.getStore();
}

/** Counts a statement sent (as Prisma's query log shows them: BEGIN is not one, COMMIT is). */
export function reportStatement(sql: string): void {
  processStatementCount.value += 1;
  const counter = counters.getStore();
  if (counter) {
    counter.count += 1;
    counter.statements.push(sql);
  }
}
