// Tenant transactions in SQL alone, on node-postgres directly, for the hottest write path
// (checkout). A Prisma interactive transaction costs the graph about 1 ms of CPU more than the
// same statements sent by node-postgres (measured: a transaction of set_config and three small
// queries, 1.1 ms against 0.2 ms), which at hundreds of checkouts a second is a fifth of the
// graph's CPU. The handle speaks the same `$queryRaw` as Prisma's transaction and answers with the
// same values (Decimal for numeric, bigint for int8, UTC dates), so code written against `RawSql`
// runs in either. It uses the Prisma client's own pool and prepared-statement names.
import { createRequire } from 'node:module';
import pg from 'pg';
import { Prisma } from './__generated__/prisma/client.js';
import type { PrismaClient } from './client.js';
import { reportStatement } from './statement-count.js';
import { scopeSettingsSql, type Scope } from './scope.js';

/** What SQL-only code needs of a transaction: Prisma's interactive transaction and SqlTransaction both offer it. */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
}

/** The connections and statement names of a Prisma client, for SQL sent beside it. */
export interface SqlPool {
  pool: pg.Pool;
  statementName(query: { sql: string }): string | undefined;
}

const pools = new WeakMap<PrismaClient, SqlPool>();

export function registerSqlPool(prisma: PrismaClient, sqlPool: SqlPool): void {
  pools.set(prisma, sqlPool);
}

function sqlPoolOf(prisma: PrismaClient): SqlPool {
  const sqlPool = pools.get(prisma);
  if (!sqlPool) throw new Error('This Prisma client was not made by createPrisma: it has no pool for SQL transactions.');
  return sqlPool;
}

/** PostgreSQL type ids whose text form Prisma's raw queries answer differently from node-postgres. */
const NUMERIC = 1700;
const NUMERIC_ARRAY = 1231;
const INT8 = 20;
const TIMESTAMP = 1114;

const parseArray = pg.types.getTypeParser(1009 as never) as (value: string) => string[];

/** Values as Prisma's $queryRaw gives them: numeric as Decimal, int8 as bigint, timestamp (UTC by convention) as a Date. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === NUMERIC) return (value) => new Prisma.Decimal(value);
      if (oid === NUMERIC_ARRAY) return (value) => parseArray(value).map((item) => (item === null ? null : new Prisma.Decimal(item)));
      if (oid === INT8) return (value) => BigInt(value);
      if (oid === TIMESTAMP) return (value) => new Date(`${value.replace(' ', 'T')}Z`);
    }
    return pg.types.getTypeParser(oid as never, format as never) as (value: string) => unknown;
  },
};

/** A parameter as Prisma sends it: dates in UTC, decimals and bigints as their digits. */
function parameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Prisma.Decimal.isDecimal(value) || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(parameter);
  return value;
}

/** node-postgres's text form of a parameter (arrays as array literals, objects as JSON), for a parameter written into SQL. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): string | null };

/** A parameter as a literal of the SQL text: what node-postgres would send for it, quoted. */
function literal(value: unknown): string {
  const text = prepareValue(parameter(value));
  return text === null ? 'NULL' : pg.escapeLiteral(text);
}

/** The named statements each connection has prepared through SqlTransaction. */
const preparedStatements = new WeakMap<pg.ClientBase, Set<string>>();

function preparedOn(client: pg.ClientBase): Set<string> {
  let names = preparedStatements.get(client);
  if (!names) preparedStatements.set(client, (names = new Set()));
  return names;
}

class TransactionExpired extends Error {
  override readonly name = 'TransactionExpired';

  constructor(timeoutMs: number) {
    super(`The transaction ran longer than ${timeoutMs} ms and was rolled back.`);
  }
}

/** A transaction on one connection: `$queryRaw` as in Prisma's interactive transactions. */
export class SqlTransaction implements RawSql {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly sqlPool: SqlPool,
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {}

  /** Whether the transaction has committed (commitWith). */
  committed = false;

  async $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
    const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
    return (await this.send(sql.text, sql.values)).rows as T;
  }

  /** Sends one statement; a transaction past its deadline or committed sends nothing more. */
  async send(text: string, values: readonly unknown[] = []): Promise<pg.QueryResult> {
    if (this.committed) throw new Error('The transaction has committed; it takes no more statements.');
    if (performance.now() > this.deadline) throw new TransactionExpired(this.timeoutMs);
    reportStatement(text);
    const name = this.sqlPool.statementName({ sql: text });
    const result = await this.client.query({ name, text, values: values.map(parameter), types });
    if (name) preparedOn(this.client).add(name);
    return result;
  }

  /**
   * The transaction's last statement and its COMMIT, in one message when the connection has the
   * statement prepared (EXECUTE of it with its parameters written as literals, then COMMIT): the
   * row locks the statement takes are held until the commit without a round trip to this process
   * in between, which is what bounds how fast writers of one hot row (a store's counter) can follow
   * each other. Otherwise the statement, then COMMIT. Statements the transaction makes that must
   * hold for it to commit have to be checked by the statement itself.
   */
  async commitWith<T = unknown>(query: Prisma.Sql): Promise<T> {
    const name = this.sqlPool.statementName({ sql: query.text });
    if (!name || !preparedOn(this.client).has(name)) {
      const rows = (await this.send(query.text, query.values)).rows as T;
      reportStatement('COMMIT');
      await this.client.query('COMMIT');
      this.committed = true;
      return rows;
    }
    if (performance.now() > this.deadline) throw new TransactionExpired(this.timeoutMs);
    reportStatement(query.text);
    reportStatement('COMMIT');
    const results = (await this.client.query({ text: `EXECUTE "${name}"(${query.values.map(literal).join(', ')}); COMMIT`, types })) as unknown as pg.QueryResult[];
    this.committed = true;
    return (results[0]?.rows ?? []) as T;
  }
}

/**
 * Runs fn in a tenant transaction on node-postgres: BEGIN, the scope's settings (as inScope sets
 * them) with a statement timeout, fn, COMMIT; ROLLBACK when anything fails. A connection that
 * cannot roll back is closed rather than returned to the pool.
 */
export async function inScopeSql<T>(prisma: PrismaClient, scope: Scope, fn: (tx: SqlTransaction) => Promise<T>, options: { timeout?: number } = {}): Promise<T> {
  const sqlPool = sqlPoolOf(prisma);
  const timeoutMs = options.timeout ?? 10_000;
  const client = await sqlPool.pool.connect();
  let healthy = true;
  try {
    const tx = new SqlTransaction(client, sqlPool, performance.now() + timeoutMs, timeoutMs);
    await client.query('BEGIN');
    const settings = scopeSettingsSql(scope, timeoutMs);
    await tx.send(settings.text, settings.values);
    const result = await fn(tx);
    if (!tx.committed) {
      reportStatement('COMMIT');
      await client.query('COMMIT');
    }
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      healthy = false;
    });
    throw error;
  } finally {
    client.release(!healthy);
  }
}
