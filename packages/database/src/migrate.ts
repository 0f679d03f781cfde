import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { APP_ROLE, appRolePassword } from './config.js';
import { splitStatements } from './sql-statements.js';

// Found from this file, not the cwd, so every entry point (CLI, tests, start) migrates the same tree.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

// The key `prisma migrate deploy` locks too, so our runner and Prisma's never migrate at once.
const PRISMA_ADVISORY_LOCK = 72707369;

// Prisma's own table, column for column, so that Prisma agrees about what has been applied.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  /** Receives one line per notable step. */
  log?: (line: string) => void;
  /** The folder of migrations to apply, in Prisma's layout; prisma/migrations unless given. */
  directory?: string;
}

interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/** Applies every pending migration under prisma/migrations (or options.directory) to the database at ownerUrl. */
export async function migrate(ownerUrl: string, options: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => undefined);
  const directory = options.directory ?? MIGRATIONS_DIR;
  const migrations = await readMigrations(directory);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const pending = await pendingMigrations(client, migrations, directory, log);
      for (const migration of pending) {
        await applyOne(client, migration);
        log(`applied ${migration.name}`);
      }
      await setAppRolePassword(client);
      return { applied: pending.map((migration) => migration.name) };
    } finally {
      // If the connection is broken the session, and with it the lock, is gone already: keep the first error.
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

async function readMigrations(directory: string): Promise<MigrationFile[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: sha256(script) };
    }),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Like Prisma, tolerate a checkout that converted line endings: the script is the same migration.
function checksumMatches(migration: MigrationFile, recorded: string): boolean {
  const { script } = migration;
  const candidates = [script, script.replace(/\r\n/g, '\n'), script.replace(/(?<!\r)\n/g, '\r\n')];
  return candidates.some((candidate) => sha256(candidate) === recorded);
}

async function pendingMigrations(
  client: pg.Client,
  migrations: MigrationFile[],
  directory: string,
  log: (line: string) => void,
): Promise<MigrationFile[]> {
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new Error(
        `Migration ${row.migration_name} failed or is still running in this database (finished_at is empty). ` +
          'Repair the database, then mark it rolled back or applied before migrating again.',
      );
    }
    const migration = byName.get(row.migration_name);
    if (!migration) {
      log(`warning: ${row.migration_name} is applied in the database but missing from ${directory}`);
    } else if (!checksumMatches(migration, row.checksum)) {
      throw new Error(
        `Migration ${row.migration_name} was modified after it was applied ` +
          `(recorded checksum ${row.checksum}, file checksum ${migration.checksum}). ` +
          'Applied migrations must not change: restore the file and add a new migration instead.',
      );
    }
    applied.add(row.migration_name);
  }
  return migrations.filter((migration) => !applied.has(migration.name));
}

// The statements and the record commit together: a failure leaves no trace, and a rerun retries it.
// Each statement is a query of its own because Citus forwards the DDL of a distributed table to its
// workers as the query string it received, and refuses a string that holds several statements.
async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const statements = await splitStatements(migration.script).catch((error: unknown) => {
    throw new Error(
      `Migration ${migration.name} could not be split into statements, so none of it was applied: ${messageOf(error)}`,
      { cause: error },
    );
  });
  await client.query('BEGIN');
  // Which statement was running, for the error: the reason alone rarely tells which of a long script's.
  let failedAt = '';
  try {
    const startedAt = new Date();
    for (const [index, statement] of statements.entries()) {
      failedAt = ` at statement ${index + 1} (${headline(statement)})`;
      await client.query(statement);
    }
    failedAt = '';
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
      [randomUUID(), migration.checksum, migration.name, startedAt],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${migration.name} failed${failedAt} and was rolled back: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

// Enough of a statement to find it in its file: its first line, cut short if that runs long.
function headline(statement: string): string {
  const [firstLine = ''] = statement.split('\n', 1);
  const shown = firstLine.trimEnd().slice(0, 100);
  return shown.length < statement.length ? `${shown} ...` : shown;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Roles are cluster-wide: databases migrating at the same time can race on this ALTER ROLE and one
// of them gets "tuple concurrently updated"; a retry then succeeds.
async function setAppRolePassword(client: pg.Client): Promise<void> {
  const statement = `ALTER ROLE ${client.escapeIdentifier(APP_ROLE)} WITH LOGIN PASSWORD ${client.escapeLiteral(appRolePassword())}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.query(statement);
      return;
    } catch (error) {
      const concurrent = error instanceof Error && error.message.includes('tuple concurrently updated');
      if (!concurrent || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

/** Creates the database `name` on the server at serverUrl, as a copy of `template` when given. */
export async function createDatabase(
  serverUrl: string,
  name: string,
  options: { template?: string } = {},
): Promise<void> {
  await withClient(serverUrl, (client) => {
    const template = options.template === undefined ? '' : ` TEMPLATE ${client.escapeIdentifier(options.template)}`;
    return client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${template}`);
  });
}

/** Drops the database `name` if it exists, disconnecting whoever is still using it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
