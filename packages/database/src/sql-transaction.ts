// Tenant transactions in SQL alone, on node-postgres directly, for the hottest write path
// (checkout): a Prisma interactive transaction costs the graph several times the CPU of the same
// statements sent by node-postgres (measured in the README, Checkout). The handle speaks the same `$queryRaw` as Prisma's transaction and answers with the
// same values, so code written against `RawSql` runs in either. It uses the process's database
// handle: Prisma's own pool and prepared-statement names.
import pg from 'pg';
import { Prisma } from './__generated__/prisma/client.js';
import type { Database } from './client.js';
import { runAfterCommit } from './after-commit.js';
import { reportStatement } from './statement-count.js';
import { scopeSettingsSql, type Scope } from './scope.js';

/** What SQL-only code needs of a transaction: Prisma's interactive transaction and SqlTransaction both offer it. */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
}

/** PostgreSQL type ids whose text form Prisma's raw queries answer differently from node-postgres. */
const NUMERIC = 1700;
const NUMERIC_ARRAY = 1231;
const INT8 = 20;
const TIMESTAMP = 1114;

const parseArray = pg.types.getTypeParser(1009 as never) as (value: string) => string[];

/**
 * Values as Prisma's $queryRaw gives them: numeric as Decimal, int8 as bigint, timestamp (UTC by
 * convention) as a Date. Prisma turns its adapter's raw values into these inside its engine, out
 * of reach of SQL sent beside it; this is the one place that does the same for node-postgres, so
 * that a RawSql caller gets the same values from either transaction.
 */
export const rawSqlTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === NUMERIC) return (value) => new Prisma.Decimal(value);
      if (oid === NUMERIC_ARRAY)
        return (value) => parseArray(value).map((item) => (item === null ? null : new Prisma.Decimal(item)));
      if (oid === INT8) return (value) => BigInt(value);
      if (oid === TIMESTAMP) return (value) => new Date(`${value.replace(' ', 'T')}Z`);
    }
    return pg.types.getTypeParser(oid as never, format as never) as (value: string) => unknown;
  },
};

/** A tagged template's parts, or a Prisma.Sql, as one Prisma.Sql. */
export function toSql(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
}

/** A parameter as Prisma sends it: dates in UTC, decimals and bigints as their digits. */
export function queryParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Prisma.Decimal.isDecimal(value) || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(queryParameter);
  return value;
}

/**
 * A statement as node-postgres sends it for the process: under its prepared-statement name (so each
 * connection parses and plans it once), its parameters as Prisma sends them, and its values read
 * back as Prisma's $queryRaw gives them.
 */
export function preparedStatement(
  database: Database,
  text: string,
  values: readonly unknown[] = [],
): pg.QueryConfig & { types: typeof rawSqlTypes } {
  return { name: database.statementName(text), text, values: values.map(queryParameter), types: rawSqlTypes };
}

/**
 * A statement followed by COMMIT in one message: node-postgres's extended-protocol query (Parse
 * when the connection has not prepared it, Bind with the parameters, Describe, Execute), then
 * Parse, Bind and Execute of COMMIT, and one Sync. When the statement fails, PostgreSQL skips the
 * COMMIT (everything up to the Sync), and the transaction is left to roll back.
 */
class CommittingQuery extends pg.Query {
  // node-postgres ends every extended-protocol query with this step ("Execute, then Sync"); it is
  // replaced so that COMMIT goes between the two. commitWith checks that the COMMIT ran.
  _getRows(connection: pg.Connection): void {
    connection.execute({ portal: '' }, false);
    connection.parse({ name: '', text: 'COMMIT', types: [] }, false);
    connection.bind({}, false);
    connection.execute({ portal: '' }, false);
    connection.sync();
  }
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
    private readonly database: Database,
    private readonly deadline: number,
    private readonly timeoutMs: number,
  ) {}

  /** Whether the transaction has committed (commitWith, or inScopeSql's COMMIT after fn). */
  committed = false;

  async $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
    const sql = toSql(query, values);
    return (await this.send(sql.text, sql.values)).rows as T;
  }

  /** Sends one statement; a transaction past its deadline or committed sends nothing more. */
  async send(text: string, values: readonly unknown[] = []): Promise<pg.QueryResult> {
    this.assertOpen();
    reportStatement(text);
    return this.client.query(preparedStatement(this.database, text, values));
  }

  /**
   * The transaction's last statement and its COMMIT, in one message (CommittingQuery): the row
   * locks the statement takes are held until the commit without a round trip to this process in
   * between, which is what bounds how fast writers of one hot row (a store's counter) can follow
   * each other. Statements the transaction makes that must hold for it to commit have to be
   * checked by the statement itself.
   */
  async commitWith<T = unknown>(query: Prisma.Sql): Promise<T> {
    this.assertOpen();
    reportStatement(query.text);
    reportStatement('COMMIT');
    const results = await new Promise<pg.QueryResult[]>((resolve, reject) => {
      const config = preparedStatement(this.database, query.text, query.values);
      this.client.query(
        new CommittingQuery(config, (error: Error | undefined, result: pg.QueryResult | pg.QueryResult[]) =>
          error ? reject(error) : resolve(Array.isArray(result) ? result : [result]),
        ),
      );
    });
    if (results[1]?.command !== 'COMMIT')
      throw new Error('The statement was sent without its COMMIT; the transaction is rolled back.');
    this.committed = true;
    return (results[0]?.rows ?? []) as T;
  }

  private assertOpen(): void {
    if (this.committed) throw new Error('The transaction has committed; it takes no more statements.');
    if (performance.now() > this.deadline) throw new TransactionExpired(this.timeoutMs);
  }
}

/**
 * Runs fn in a tenant transaction on node-postgres: BEGIN, the scope's settings (as inScope sets
 * them) with a statement timeout, fn, COMMIT; ROLLBACK when anything fails. A connection that
 * cannot roll back is closed rather than returned to the pool. What the transaction registered
 * with afterCommit runs once it has committed.
 */
export async function inScopeSql<T>(
  database: Database,
  scope: Scope,
  fn: (tx: SqlTransaction) => Promise<T>,
  options: { timeout?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeout ?? 10_000;
  const client = await database.pool.connect();
  const tx = new SqlTransaction(client, database, performance.now() + timeoutMs, timeoutMs);
  let healthy = true;
  try {
    await client.query('BEGIN');
    const settings = scopeSettingsSql(scope, timeoutMs);
    await tx.send(settings.text, settings.values);
    const result = await fn(tx);
    if (!tx.committed) {
      reportStatement('COMMIT');
      await client.query('COMMIT');
      tx.committed = true;
    }
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      healthy = false;
    });
    throw error;
  } finally {
    client.release(!healthy);
    // Also when fn failed after commitWith: what it committed stays committed.
    if (tx.committed) runAfterCommit(tx, database.prisma);
  }
}
