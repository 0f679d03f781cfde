import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { logger, observePool } from '@commerce/observability';
import { PrismaClient } from './__generated__/prisma/client.js';
import { reportStatement } from './statement-count.js';

export * from './__generated__/prisma/client.js';

export interface DatabaseOptions {
  connectionString: string;
  /** Connections in the pool. */
  poolSize?: number;
}

/**
 * The one database handle of a process: the Prisma client and the node-postgres pool under it,
 * which also serves the transactions in SQL alone (inScopeSql). The process opens it where it
 * builds its clients and passes it down; its prepared statements are shared by both.
 */
export interface Database {
  readonly prisma: PrismaClient;
  readonly pool: pg.Pool;
  /** The name a statement is prepared under on every connection, or undefined when it runs unprepared. */
  statementName(sql: string): string | undefined;
  /** Closes the Prisma client and the pool. */
  disconnect(): Promise<void>;
}

/** Distinct statements a process prepares on each connection; rarer ones run unprepared. */
const PREPARED_STATEMENT_LIMIT = 1_000;

/**
 * Names statements so that node-postgres prepares each once per connection and PostgreSQL keeps
 * its parse and plan instead of doing them again for every statement (README, Checkout). The name is
 * a hash of the SQL, so the same text always gets the same name. Prepared statements outlive
 * schema changes badly (a `SELECT *` whose table gained a column fails with "cached plan must not
 * change result type"): restart the processes after migrating, as deploys do.
 */
function statementNames(): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (name === undefined && names.size < PREPARED_STATEMENT_LIMIT) {
      name = `commerce_${createHash('sha1').update(sql).digest('base64url')}`;
      names.set(sql, name);
    }
    return name;
  };
}

/**
 * Opens the process's database: a Prisma client over a node-postgres pool, with prepared
 * statements, that reports each statement to the current counter.
 */
export function openDatabase({ connectionString, poolSize = 10 }: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle connection the server ends (a restart, a terminated backend) is dropped by the pool,
  // which opens another when asked; unheard, its 'error' event would end the process. Prisma's
  // adapter listens too, but only from its first statement, and an idle process may send none
  // (pool-query.ts).
  pool.on('error', (error) =>
    logger.warn({ reason: error.message }, 'an idle database connection failed; the pool replaces it'),
  );
  observePool(pool);
  const statementName = statementNames();
  // An empty name is the protocol's unnamed statement: parsed each time, not kept.
  const adapter = new PrismaPg(pool, {
    statementNameGenerator: ({ sql }) => statementName(sql) ?? '',
    disposeExternalPool: true,
  });
  // 'minimal' errors: the services turn database errors into their own; the other formats capture a
  // stack trace on every query to point at the call site, CPU spent on every statement for nothing.
  const prisma = new PrismaClient({ adapter, errorFormat: 'minimal', log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => reportStatement(event.query));
  // Disconnecting Prisma ends the pool (disposeExternalPool).
  return { prisma, pool, statementName, disconnect: () => prisma.$disconnect() };
}
