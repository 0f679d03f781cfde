import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './__generated__/prisma/client.js';

export * from './__generated__/prisma/client.js';

/** Statements sent by every Prisma client of this process, for query-count tests and benchmarks. */
export const processStatementCount = { value: 0 };

/** A counter of SQL statements for one unit of work (a request, a test). */
export interface StatementCounter {
  count: number;
  statements: string[];
}

const counters = new AsyncLocalStorage<StatementCounter>();

/** Runs fn while counting every SQL statement Prisma sends on its behalf. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; counter: StatementCounter }> {
  const counter: StatementCounter = { count: 0, statements: [] };
  const result = await counters.run(counter, fn);
  return { result, counter };
}

/** The statement counter of the current async context, if any. */
export function currentStatementCounter(): StatementCounter | undefined {
  return counters.getStore();
}

export interface CreatePrismaOptions {
  connectionString: string;
  /** Connections in the pool. */
  poolSize?: number;
}

/** Distinct statements a process prepares on each connection; rarer ones run unprepared. */
const PREPARED_STATEMENT_LIMIT = 1_000;

/**
 * Names statements so that node-postgres prepares each once per connection and PostgreSQL keeps
 * its parse and plan: a checkout's statements cost PostgreSQL about a third less CPU. The name is
 * a hash of the SQL, so the same text always gets the same name. Prepared statements outlive
 * schema changes badly (a `SELECT *` whose table gained a column fails with "cached plan must not
 * change result type"): restart the processes after migrating, as deploys do.
 */
function statementNames(): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < PREPARED_STATEMENT_LIMIT) {
      name = `commerce_${createHash('sha1').update(sql).digest('base64url')}`;
      names.set(sql, name);
    }
    return name;
  };
}

/** A Prisma client over node-postgres, with prepared statements, that reports each statement to the current counter. */
export function createPrisma({ connectionString, poolSize = 10 }: CreatePrismaOptions): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: poolSize }, { statementNameGenerator: statementNames() as (query: { sql: string }) => string });
  // 'minimal' errors: the services turn database errors into their own; the other formats capture a
  // stack trace on every query to point at the call site, which costs the graph about 2% of its CPU.
  const prisma = new PrismaClient({ adapter, errorFormat: 'minimal', log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => {
    processStatementCount.value += 1;
    const counter = counters.getStore();
    if (counter) {
      counter.count += 1;
      counter.statements.push(event.query);
    }
  });
  return prisma;
}
