// The contract that lets the schema be distributed on Citus, sharded by store, by running
// prisma/distribute.sql. That script says which tables are reference tables (a full copy on every
// node) and which are distributed by "storeId" (colocated with "StoreCounter"); these tests hold
// the migrated database and the code to it. Each rule is one that Citus enforces
// (create_distributed_table refuses the table) or that keeps a store's queries on one node. A
// failure lists every offending table, constraint, trigger, policy or line of code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { distributionProblems, listingProblems, readDistributionPlan } from './distribution-plan.js';
import { correlatedStoreIds, insertSelectsWithoutReturning, mutableUpsertSets } from './statement-shapes.js';
import { sqlFunctionsOfMigrations, sqlTextsOfTypeScript, unscopedJoins } from './unscoped-joins.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DISTRIBUTION_COLUMN = 'storeId';
// The migration runner's bookkeeping (src/migrate.ts): a local table of the coordinator.
const MIGRATIONS_TABLE = '_prisma_migrations';
// Where the code's queries live; tests and generated code are not deployed.
const CODE_DIRECTORIES = ['gateway', 'packages', 'subgraphs', 'scripts', 'prisma'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '__generated__', 'dist', 'test']);

const plan = readDistributionPlan(readFileSync(path.join(ROOT, 'prisma/distribute.sql'), 'utf8'));
const kindOf = new Map(plan.tables.map((planned) => [planned.table, planned.kind]));
const distributed = new Set(plan.tables.filter((planned) => planned.kind === 'distributed').map(({ table }) => table));
const managed = (table: string): boolean => kindOf.has(table);

interface ForeignKey {
  name: string;
  table: string;
  references: string;
  columns: string[];
  referencedColumns: string[];
  onUpdate: string;
  onDelete: string;
}

const ACTIONS: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const columnList = (columns: string[]): string => columns.map((column) => `"${column}"`).join(', ');
const describeForeignKey = (key: ForeignKey): string =>
  `"${key.table}".${key.name} (${columnList(key.columns)}) -> "${key.references}" (${columnList(key.referencedColumns)})`;

function codeFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    if (SKIPPED_DIRECTORIES.has(name)) return [];
    const file = path.join(directory, name);
    if (statSync(file).isDirectory()) return codeFiles(file);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The SQL literals of the code that match `mentions` (see sqlTextsOfTypeScript). */
function codeSql(mentions?: RegExp) {
  return CODE_DIRECTORIES.flatMap((directory) => codeFiles(path.join(ROOT, directory))).flatMap((file) =>
    sqlTextsOfTypeScript(path.relative(ROOT, file), readFileSync(file, 'utf8'), mentions),
  );
}

function migrations(): { file: string; source: string }[] {
  const directory = path.join(ROOT, 'prisma/migrations');
  return readdirSync(directory)
    .filter((name) => statSync(path.join(directory, name)).isDirectory())
    .sort()
    .map((name) => ({
      file: `prisma/migrations/${name}/migration.sql`,
      source: readFileSync(path.join(directory, name, 'migration.sql'), 'utf8'),
    }));
}

describe('the schema distributes on Citus by storeId, as prisma/distribute.sql says', () => {
  let client: pg.Client;
  let tables: string[];
  let foreignKeys: ForeignKey[];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    const tableRows = await client.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> $1
       ORDER BY c.relname`,
      [MIGRATIONS_TABLE],
    );
    tables = tableRows.rows.map((row) => row.table);
    const keyRows = await client.query<ForeignKey>(`
      SELECT con.conname AS name, c.relname AS table, r.relname AS references,
             array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
             array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "referencedColumns",
             con.confupdtype AS "onUpdate", con.confdeltype AS "onDelete"
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_class r ON r.oid = con.confrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE con.contype = 'f'
      ORDER BY c.relname, con.conname`);
    foreignKeys = keyRows.rows;
  });
  afterAll(() => client.end());

  it('distribute.sql lists every table once, after the tables it references', () => {
    expect(listingProblems(plan, tables, foreignKeys)).toEqual([]);
  });

  it('distributes every other table by its NOT NULL storeId, colocated with StoreCounter', async () => {
    const problems = distributionProblems(plan);
    const { rows } = await client.query<{ table: string; notNull: boolean }>(
      `SELECT c.relname AS table, a.attnotnull AS "notNull" FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $1 AND NOT a.attisdropped`,
      [DISTRIBUTION_COLUMN],
    );
    const notNull = new Map(rows.map((row) => [row.table, row.notNull]));
    for (const table of distributed) {
      if (!notNull.has(table)) problems.push(`"${table}" has no storeId column`);
      else if (!notNull.get(table)) problems.push(`"${table}"."storeId" is nullable`);
    }
    expect(problems).toEqual([]);
  });

  it('every primary key and unique constraint or index of a distributed table leads with storeId', async () => {
    const { rows } = await client.query<{
      table: string;
      name: string;
      kind: string;
      definition: string;
      leading: string | null;
    }>(`
      SELECT c.relname AS table, ic.relname AS name,
             CASE WHEN i.indisprimary THEN 'primary key'
                  WHEN i.indisexclusion THEN 'exclusion constraint'
                  WHEN con.contype = 'u' THEN 'unique constraint'
                  ELSE 'unique index' END AS kind,
             substring(pg_get_indexdef(i.indexrelid) FROM ' USING (.*)$') AS definition,
             (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[0]) AS leading
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
      WHERE i.indisunique OR i.indisexclusion
      ORDER BY c.relname, ic.relname`);
    const problems = rows
      .filter((row) => distributed.has(row.table) && row.leading !== DISTRIBUTION_COLUMN)
      .map((row) => `"${row.table}": ${row.kind} ${row.name} ${row.definition} does not lead with "storeId"`);
    expect(problems).toEqual([]);
  });

  it('keeps foreign keys on one node: storeId to storeId between distributed tables, none from reference to distributed', () => {
    const problems: string[] = [];
    for (const key of foreignKeys) {
      const from = kindOf.get(key.table);
      const to = kindOf.get(key.references);
      if (from === 'reference' && to === 'distributed') {
        problems.push(`${describeForeignKey(key)}: a reference table may reference only reference tables`);
      }
      if (from === 'distributed' && to === 'distributed') {
        const position = key.columns.indexOf(DISTRIBUTION_COLUMN);
        if (position < 0 || key.referencedColumns.indexOf(DISTRIBUTION_COLUMN) !== position) {
          problems.push(`${describeForeignKey(key)}: does not match "storeId" to "storeId" in the same position`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  // Citus refuses these on a foreign key of a distributed table whose columns include the
  // distribution column, whichever table it references: a row must never move to another shard
  // (ON UPDATE CASCADE) or lose its shard key (SET NULL, SET DEFAULT).
  it('no foreign key that includes storeId cascades updates to it or sets it to null or a default', () => {
    const problems: string[] = [];
    for (const key of foreignKeys) {
      if (!distributed.has(key.table) || !key.columns.includes(DISTRIBUTION_COLUMN)) continue;
      if (['c', 'n', 'd'].includes(key.onUpdate)) {
        problems.push(`${describeForeignKey(key)}: ON UPDATE ${ACTIONS[key.onUpdate]}`);
      }
      if (['n', 'd'].includes(key.onDelete)) {
        problems.push(`${describeForeignKey(key)}: ON DELETE ${ACTIONS[key.onDelete]}`);
      }
    }
    expect(problems).toEqual([]);
  });

  // Citus refuses to distribute, or to make a reference table of, a table with a trigger (unless
  // citus.enable_unsafe_triggers is on, which it warns may cause visibility and deadlock issues).
  // Triggers that enforce foreign keys are internal and do not count.
  it('no table Citus manages has a trigger', async () => {
    const { rows } = await client.query<{ table: string; name: string; function: string }>(`
      SELECT c.relname AS table, t.tgname AS name, p.proname AS function
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE NOT t.tgisinternal
      ORDER BY c.relname, t.tgname`);
    const problems = rows
      .filter((row) => managed(row.table))
      .map((row) => `"${row.table}": trigger "${row.name}" (${kindOf.get(row.table)} table) runs ${row.function}()`);
    expect(problems).toEqual([]);
  });

  // Citus refuses a policy whose expression has a subquery on a table it distributes or replicates.
  it('no row-level security policy of a table Citus manages has a subquery', async () => {
    const { rows } = await client.query<{ table: string; name: string }>(`
      SELECT c.relname AS table, p.polname AS name
      FROM pg_policy p
      JOIN pg_class c ON c.oid = p.polrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE p.polqual::text LIKE '%{SUBLINK %' OR p.polwithcheck::text LIKE '%{SUBLINK %'
      ORDER BY c.relname, p.polname`);
    const problems = rows
      .filter((row) => managed(row.table))
      .map((row) => `"${row.table}": policy "${row.name}" has a subquery`);
    expect(problems).toEqual([]);
  });

  it('no query in the code or in the SQL functions joins two distributed tables but on storeId', () => {
    const code = codeSql();
    const functions = sqlFunctionsOfMigrations(migrations());
    // An empty scan would pass for the wrong reason.
    expect(code.length).toBeGreaterThan(0);
    expect(functions.length).toBeGreaterThan(0);
    const texts = [...code, ...functions];
    const problems = texts
      .flatMap((text) => unscopedJoins(text, distributed))
      .map((finding) => `${finding.file}:${finding.line}: ${finding.join}`);
    expect(problems).toEqual([]);
  });

  // Prisma reads an enum column back as "column"::text, also in the RETURNING clause of its writes,
  // where Citus refuses every function that is not IMMUTABLE; without a cast of its own, that is
  // an I/O conversion through enum_out, which is STABLE. The cast applies in assignment too, as
  // the I/O conversion did.
  it('every enum casts to text through an IMMUTABLE function, in assignment too, giving its labels', async () => {
    const { rows } = await client.query<{ type: string; problem: string | null }>(`
      SELECT t.typname AS type,
             CASE WHEN c.oid IS NULL OR c.castmethod <> 'f' THEN 'has no cast to text through a function'
                  WHEN p.provolatile <> 'i' THEN format('casts to text through %s, which is not IMMUTABLE', p.proname)
                  WHEN c.castcontext = 'e' THEN 'casts to text only explicitly' END AS problem
      FROM pg_type t
      JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
      LEFT JOIN pg_cast c ON c.castsource = t.oid AND c.casttarget = 'text'::regtype
      LEFT JOIN pg_proc p ON p.oid = c.castfunc
      WHERE t.typtype = 'e'
      ORDER BY t.typname`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.problem).map((row) => `"${row.type}" ${row.problem}`)).toEqual([]);
    for (const { type } of rows) {
      const { rows: labels } = await client.query<{ cast: string[]; labels: string[] }>(`
        SELECT array(SELECT v::text FROM unnest(enum_range(NULL::"${type}")) v) AS cast,
               array(SELECT enumlabel::text FROM pg_enum WHERE enumtypid = '"${type}"'::regtype ORDER BY enumsortorder) AS labels`);
      expect(labels[0]?.cast, type).toEqual(labels[0]?.labels);
    }
  });

  it('no ON CONFLICT … DO UPDATE in the code calls a function that is not IMMUTABLE', () => {
    const upserts = codeSql(/\bON\s+CONFLICT\b/i);
    expect(upserts.length).toBeGreaterThan(0);
    const problems = upserts
      .flatMap(mutableUpsertSets)
      .map((finding) => `${finding.file}:${finding.line}: ${finding.problem}`);
    expect(problems).toEqual([]);
  });

  // The testkit seeds plain PostgreSQL for tests, as the owner, and may COPY.
  it('every INSERT … SELECT in the code returns its rows or has ON CONFLICT', () => {
    const texts = codeSql(/\bINSERT\s+INTO\b/i).filter((text) => !text.file.startsWith('packages/testkit/'));
    expect(texts.length).toBeGreaterThan(0);
    const problems = texts
      .flatMap((text) => insertSelectsWithoutReturning(text, distributed))
      .map((finding) => `${finding.file}:${finding.line}: ${finding.problem}`);
    expect(problems).toEqual([]);
  });

  it('no subquery in the code takes storeId from the row outside it', () => {
    const texts = codeSql(/"storeId"/);
    expect(texts.length).toBeGreaterThan(0);
    const problems = texts
      .flatMap((text) => correlatedStoreIds(text, distributed))
      .map((finding) => `${finding.file}:${finding.line}: ${finding.problem}`);
    expect(problems).toEqual([]);
  });
});
