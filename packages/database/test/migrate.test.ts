import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase, migrate } from '../src/index.js';
import { splitStatements } from '../src/sql-statements.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));
const MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// A database of its own: these tests rewrite the migrations table, which the shared one must keep.
describe('migrate', () => {
  const serverUrl = inject('databaseUrl');
  const name = `commerce_migrate_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let client: pg.Client;

  beforeAll(async () => {
    await createDatabase(serverUrl, name);
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await dropDatabase(serverUrl, name);
  });

  it('applies every migration once, recording Prisma’s checksum, and nothing on a second run', async () => {
    const lines: string[] = [];
    expect(await migrate(databaseUrl, { log: (line) => lines.push(line) })).toEqual({ applied: MIGRATIONS });
    expect(lines).toEqual(MIGRATIONS.map((migration) => `applied ${migration}`));
    expect(await migrate(databaseUrl)).toEqual({ applied: [] });

    const { rows } = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows).toEqual(
      MIGRATIONS.map((migration) => ({
        migration_name: migration,
        checksum: createHash('sha256')
          .update(readFileSync(`${MIGRATIONS_DIR}${migration}/migration.sql`))
          .digest('hex'),
        applied_steps_count: 1,
      })),
    );
  });

  it('keeps the migrations table in the shape Prisma creates', async () => {
    const { rows } = await client.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(rows.map((row) => [row.column_name, row.data_type, row.is_nullable])).toEqual([
      ['id', 'character varying', 'NO'],
      ['checksum', 'character varying', 'NO'],
      ['finished_at', 'timestamp with time zone', 'YES'],
      ['migration_name', 'character varying', 'NO'],
      ['logs', 'text', 'YES'],
      ['rolled_back_at', 'timestamp with time zone', 'YES'],
      ['started_at', 'timestamp with time zone', 'NO'],
      ['applied_steps_count', 'integer', 'NO'],
    ]);
  });

  it('refuses to run when an applied migration no longer matches its file', async () => {
    const [first] = MIGRATIONS;
    await client.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, [
      '0'.repeat(64),
      first,
    ]);
    await expect(migrate(databaseUrl)).rejects.toThrow(/was modified after it was applied/);
  });
});

// Each statement goes to the server as a query of its own (Citus forwards a distributed table's DDL
// to its workers as the query string it received, and refuses one that holds several statements).
describe('migrate, statement by statement', () => {
  const serverUrl = inject('databaseUrl');
  const name = `commerce_statements_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let client: pg.Client;
  let directory: string;

  beforeAll(async () => {
    await createDatabase(serverUrl, name);
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    directory = await mkdtemp(path.join(tmpdir(), 'commerce-migrations-'));
  });

  afterAll(async () => {
    await client.end();
    await dropDatabase(serverUrl, name);
    await rm(directory, { recursive: true, force: true });
  });

  /** Writes a migration into a folder of its own and returns the folder, for migrate's `directory`. */
  async function migrationFolder(migrationName: string, script: string): Promise<string> {
    const folder = path.join(directory, migrationName);
    await mkdir(path.join(folder, migrationName), { recursive: true });
    await writeFile(path.join(folder, migrationName, 'migration.sql'), script);
    return folder;
  }

  async function tableExists(table: string): Promise<boolean> {
    const { rows } = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
    return rows[0]?.found ?? false;
  }

  async function recorded(migrationName: string): Promise<number> {
    const { rowCount } = await client.query('SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1', [
      migrationName,
    ]);
    return rowCount ?? 0;
  }

  it('sends each statement as the whole query string the server receives', async () => {
    const folder = await migrationFolder(
      '20300101000000_probe',
      `CREATE TABLE probe (query text);
-- the server's current_query() is the string the client sent
INSERT INTO probe SELECT current_query();
INSERT INTO probe SELECT current_query()`,
    );
    expect(await migrate(databaseUrl, { directory: folder })).toEqual({ applied: ['20300101000000_probe'] });
    const { rows } = await client.query<{ query: string }>('SELECT query FROM probe ORDER BY query');
    expect(rows.map((row) => row.query)).toEqual([
      'INSERT INTO probe SELECT current_query()',
      'INSERT INTO probe SELECT current_query()',
    ]);
  });

  it('applies a function whose body holds semicolons, and the trigger that calls it', async () => {
    const folder = await migrationFolder(
      '20300101000000_function',
      `CREATE TABLE counted (id int PRIMARY KEY, label text NOT NULL DEFAULT '');
CREATE FUNCTION label_counted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- a comment; inside the body
  NEW.label := format($$row %s; 'quoted'$$, NEW.id);
  RETURN NEW;
END
$fn$;
CREATE TRIGGER counted_label BEFORE INSERT ON counted FOR EACH ROW EXECUTE FUNCTION label_counted();`,
    );
    await migrate(databaseUrl, { directory: folder });
    const { rows } = await client.query<{ label: string }>('INSERT INTO counted (id) VALUES (7) RETURNING label');
    expect(rows).toEqual([{ label: "row 7; 'quoted'" }]);
  });

  it('rolls back the statements before the one that failed, and names that one', async () => {
    const migrationName = '20300101000000_broken';
    const folder = await migrationFolder(
      migrationName,
      `CREATE TABLE kept_if_whole (id int);
CREATE INDEX kept_if_whole_id ON kept_if_whole (id);
INSERT INTO no_such_table
  VALUES (1);
CREATE TABLE after_the_failure (id int);`,
    );
    await expect(migrate(databaseUrl, { directory: folder })).rejects.toThrow(
      `Migration ${migrationName} failed at statement 3 (INSERT INTO no_such_table ...) and was rolled back: ` +
        'relation "no_such_table" does not exist',
    );
    expect(await tableExists('kept_if_whole')).toBe(false);
    expect(await tableExists('after_the_failure')).toBe(false);
    expect(await recorded(migrationName)).toBe(0);
  });

  it('applies none of a migration it cannot parse, and says where it stops making sense', async () => {
    const migrationName = '20300101000000_typo';
    const folder = await migrationFolder(
      migrationName,
      'CREATE TABLE before_the_typo (id int);\nCREAT TABLE x (id int);',
    );
    await expect(migrate(databaseUrl, { directory: folder })).rejects.toThrow(
      `Migration ${migrationName} could not be split into statements, so none of it was applied: ` +
        'syntax error at or near "CREAT" at line 2',
    );
    expect(await tableExists('before_the_typo')).toBe(false);
    expect(await recorded(migrationName)).toBe(0);
  });

  // The server reports one command per statement of a multi-statement query: the project's migrations
  // must split into exactly those statements, in that order.
  it('splits every migration into the statements PostgreSQL itself runs', async () => {
    const scratchName = `${name}_scratch`;
    const scratchUrl = new URL(serverUrl);
    scratchUrl.pathname = `/${scratchName}`;
    await createDatabase(serverUrl, scratchName);
    const scratch = new pg.Client({ connectionString: scratchUrl.toString() });
    await scratch.connect();
    try {
      for (const migration of MIGRATIONS) {
        const script = readFileSync(`${MIGRATIONS_DIR}${migration}/migration.sql`, 'utf8');
        await scratch.query('BEGIN');
        await scratch.query('SAVEPOINT whole');
        const whole: pg.QueryResult | pg.QueryResult[] = await scratch.query(script);
        const expected = (Array.isArray(whole) ? whole : [whole]).map((result) => result.command);
        await scratch.query('ROLLBACK TO SAVEPOINT whole');
        const commands: string[] = [];
        for (const statement of await splitStatements(script)) {
          commands.push((await scratch.query(statement)).command);
        }
        await scratch.query('COMMIT');
        expect({ migration, commands }).toEqual({ migration, commands: expected });
      }
    } finally {
      await scratch.end();
      await dropDatabase(serverUrl, scratchName);
    }
  });
});

// The CHECK constraints hold even for the owner, which row-level security does not restrict.
describe('the invariants the migrations add', () => {
  let owner: pg.Client;
  beforeAll(async () => {
    owner = new pg.Client({ connectionString: inject('databaseUrl') });
    await owner.connect();
  });
  afterAll(() => owner.end());

  const store = randomUUID();
  const order = randomUUID();
  const product = randomUUID();
  const variant = randomUUID();
  const location = randomUUID();
  const fixtures = [
    `INSERT INTO "Store" (id, name, slug, "currencyCode") VALUES ('${store}', 'S', 'check-${store.slice(0, 8)}', 'EUR')`,
    `INSERT INTO "Order" (id, "storeId", number, email, "currencyCode", subtotal, total)
     VALUES ('${order}', '${store}', 1001, 'a@example.com', 'EUR', 10, 10)`,
    `INSERT INTO "Product" (id, "storeId", title, handle) VALUES ('${product}', '${store}', 'P', 'p')`,
    `INSERT INTO "ProductVariant" (id, "storeId", "productId", title, price) VALUES ('${variant}', '${store}', '${product}', 'V', 5)`,
    `INSERT INTO "InventoryLocation" (id, "storeId", name) VALUES ('${location}', '${store}', 'L')`,
  ];
  const level = (available: number, allowOversell: boolean) =>
    `INSERT INTO "InventoryLevel" ("storeId", "variantId", "locationId", available, "allowOversell")
     VALUES ('${store}', '${variant}', '${location}', ${available}, ${allowOversell})`;
  const orderLine = (quantity: number, fulfilled: number) =>
    `INSERT INTO "OrderLine" ("storeId", "orderId", title, quantity, "unitPrice", "totalPrice", "fulfilledQuantity")
     VALUES ('${store}', '${order}', 'L', ${quantity}, 5, ${5 * quantity}, ${fulfilled})`;
  const discount = (type: string, value: number) =>
    `INSERT INTO "DiscountCode" ("storeId", code, type, value) VALUES ('${store}', 'C', '${type}', ${value})`;

  // Each statement runs after the fixtures in a transaction that is rolled back.
  async function attempt(statement: string): Promise<string | null> {
    await owner.query('BEGIN');
    try {
      for (const fixture of fixtures) await owner.query(fixture);
      await owner.query(statement);
      return null;
    } catch (error) {
      return error instanceof Error && 'constraint' in error ? String(error.constraint) : String(error);
    } finally {
      await owner.query('ROLLBACK');
    }
  }

  it.each([
    ['Store_slug_check', `UPDATE "Store" SET slug = 'Not A Slug' WHERE id = '${store}'`],
    ['Store_currencyCode_check', `UPDATE "Store" SET "currencyCode" = 'eur' WHERE id = '${store}'`],
    ['ProductVariant_price_check', `UPDATE "ProductVariant" SET price = -1 WHERE id = '${variant}'`],
    ['InventoryLevel_available_check', level(-1, false)],
    ['OrderLine_quantity_check', orderLine(0, 0)],
    ['OrderLine_fulfilledQuantity_check', orderLine(2, 3)],
    ['Order_totalRefunded_check', `UPDATE "Order" SET "totalRefunded" = 11 WHERE id = '${order}'`],
    ['DiscountCode_value_check', discount('PERCENTAGE', 150)],
    [
      'TaxRate_rate_check',
      `INSERT INTO "TaxRate" ("storeId", name, "countryCode", rate) VALUES ('${store}', 'T', 'DE', 1.5)`,
    ],
  ])('enforces %s', async (constraint, statement) => {
    expect(await attempt(statement)).toBe(constraint);
  });

  it.each([
    ['negative stock where overselling is allowed', level(-1, true)],
    ['a line fulfilled in full', orderLine(2, 2)],
    ['a fixed amount above 100', discount('FIXED_AMOUNT', 150)],
    ['a 100% discount', discount('PERCENTAGE', 100)],
  ])('accepts %s', async (_label, statement) => {
    expect(await attempt(statement)).toBeNull();
  });
});
