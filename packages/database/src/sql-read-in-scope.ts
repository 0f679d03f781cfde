// Tenant reads of one statement in one message: BEGIN, the scope's settings, the statement and
// COMMIT go to PostgreSQL together, ended by one Sync, and come back together. A read through a
// Prisma interactive transaction makes four round trips (BEGIN, settings, statement, COMMIT) and
// costs the graph several times the CPU of the statements themselves; this is the storefront's
// cold reads' path (README, Benchmarks). Row-level security holds as in every tenant transaction:
// the settings are transaction-local (app_set_scope, SET LOCAL) and run before the statement, and
// when any of them fails PostgreSQL skips the rest up to the Sync, the statement included.
import pg from 'pg';
import type { Prisma } from './__generated__/prisma/client.js';
import type { Database } from './client.js';
import { scopeSettingsSql, type Scope } from './scope.js';
import { reportStatement } from './statement-count.js';
import { preparedStatement, queryParameter, type RawSql, toSql } from './sql-transaction.js';

/** What the statement's message carries besides the statement: the scope's settings, prepared or not. */
interface Settings {
  name: string | undefined;
  text: string;
  values: unknown[];
}

/** pg's connection as the protocol steps below use it (the parts its typings leave out). */
interface ProtocolConnection extends pg.Connection {
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}

/**
 * BEGIN, the settings, the statement (as node-postgres sends a query: Parse when the connection
 * has not prepared it, Bind, Describe, Execute), COMMIT, and one Sync. The settings' answer gets a
 * Describe of its own, so that its row is parsed as a result of its own and not as the statement's.
 */
class ScopedReadQuery extends pg.Query {
  /** Whether this message prepares the settings' statement (it was not prepared on the connection yet). */
  preparesSettings = false;

  constructor(
    config: pg.QueryConfig,
    private readonly settings: Settings,
    callback: (error: Error | undefined, result: pg.QueryResult | pg.QueryResult[]) => void,
  ) {
    super(config, callback);
  }

  prepare(connection: ProtocolConnection): void {
    connection.parse({ name: '', text: 'BEGIN', types: [] }, false);
    connection.bind({}, false);
    connection.execute({ portal: '' }, false);
    const { name, text, values } = this.settings;
    if (name !== undefined && !(name in connection.parsedStatements || name in connection.submittedNamedStatements)) {
      connection.parse({ name, text, types: [] }, false);
      connection.submittedNamedStatements[name] = text;
      this.preparesSettings = true;
    } else if (name === undefined) {
      connection.parse({ name: '', text, types: [] }, false);
    }
    connection.bind({ statement: name ?? '', values: values as never[] }, false);
    connection.describe({ type: 'P', name: '' }, false);
    connection.execute({ portal: '' }, false);
    // pg.Query's own steps for the statement; its last one is _getRows below.
    (pg.Query.prototype as unknown as { prepare(connection: pg.Connection): void }).prepare.call(this, connection);
  }

  // node-postgres ends an extended-protocol query with "Execute, then Sync"; COMMIT goes between.
  _getRows(connection: pg.Connection): void {
    connection.execute({ portal: '' }, false);
    connection.parse({ name: '', text: 'COMMIT', types: [] }, false);
    connection.bind({}, false);
    connection.execute({ portal: '' }, false);
    connection.sync();
  }
}

/** A read of one statement: the RawSql its code is written against, taking exactly one statement. */
class OneStatementRead implements RawSql {
  private sent = false;

  constructor(
    private readonly database: Database,
    private readonly scope: Scope,
    private readonly timeoutMs: number,
  ) {}

  async $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
    if (this.sent) throw new Error('A read in one message takes one statement; use a transaction for more.');
    this.sent = true;
    const sql = toSql(query, values);
    const settingsSql = scopeSettingsSql(this.scope, this.timeoutMs);
    const settings = {
      name: this.database.statementName(settingsSql.text),
      text: settingsSql.text,
      values: settingsSql.values.map(queryParameter),
    };
    reportStatement(settings.text);
    reportStatement(sql.text);
    reportStatement('COMMIT');
    const client = await this.database.pool.connect();
    const connection = (client as unknown as { connection: ProtocolConnection }).connection;
    let message: ScopedReadQuery | undefined;
    let healthy = true;
    try {
      const results = await new Promise<pg.QueryResult[]>((resolve, reject) => {
        message = new ScopedReadQuery(
          preparedStatement(this.database, sql.text, sql.values),
          settings,
          (error, result) => (error ? reject(error) : resolve(Array.isArray(result) ? result : [result])),
        );
        client.query(message);
      });
      if (results.length !== 4 || results[3]?.command !== 'COMMIT')
        throw new Error('The read was answered without its COMMIT; it is rolled back.');
      if (message?.preparesSettings && settings.name) {
        connection.parsedStatements[settings.name] = settings.text;
        delete connection.submittedNamedStatements[settings.name];
      }
      return (results[2]?.rows ?? []) as T;
    } catch (error) {
      // Whether the settings' statement got prepared before the failure is unknown: such a
      // connection is closed rather than kept with a wrong idea of what it has prepared.
      if (message?.preparesSettings) healthy = false;
      await client.query('ROLLBACK').catch(() => {
        healthy = false;
      });
      throw error;
    } finally {
      client.release(!healthy);
    }
  }
}

/**
 * Runs fn, a read of at most one statement, in a tenant transaction sent in one message (see
 * above): the same statements, and the same count of them, as inScope's transaction would send.
 * A second statement is refused. The statement timeout is the transaction's (10 s unless given).
 */
export function readInScopeSql<T>(
  database: Database,
  scope: Scope,
  fn: (tx: RawSql) => Promise<T>,
  options: { timeout?: number } = {},
): Promise<T> {
  return fn(new OneStatementRead(database, scope, options.timeout ?? 10_000));
}
